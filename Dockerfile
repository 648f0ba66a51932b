# syntax=docker/dockerfile:1
#
# One image for the four services. The Deployment picks the service with its
# command: `inson-<service> serve`, or `inson-<service> rebuild <projection>`
# in the rebuild Job (deploy/k8s).
#
#   docker build -t inson:0.1.0 .
#
# Dependencies come from uv.lock only (--frozen); the runtime stage holds the
# virtual environment and nothing that builds: no uv, pip or compiler. It runs
# as uid 10001 and writes nowhere but /tmp, so the root filesystem can be
# read-only. No HEALTHCHECK: Kubernetes probes /healthz and /readyz.

ARG PYTHON_IMAGE=python:3.11.14-slim-trixie

# --------------------------------------------------------------------- build
FROM ${PYTHON_IMAGE} AS build

ARG UV_VERSION=0.13.8
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3 \
    UV_PROJECT_ENVIRONMENT=/opt/inson

# The uv the Makefile uses, from PyPI.
RUN pip install "uv==${UV_VERSION}"

WORKDIR /src

# Third-party dependencies first, from the lock file and the workspace's
# pyproject files alone: this layer is rebuilt only when they change.
COPY pyproject.toml uv.lock ./
COPY contracts/pyproject.toml contracts/
COPY runtime/pyproject.toml runtime/
COPY services/intake/pyproject.toml services/intake/
COPY services/assessment/pyproject.toml services/assessment/
COPY services/referral/pyproject.toml services/referral/
COPY services/notification/pyproject.toml services/notification/
COPY services/insight/pyproject.toml services/insight/
RUN uv sync --frozen --no-dev --all-packages --no-install-workspace

# Then Inson's own packages, installed as wheels (not editable) so that
# /opt/inson needs nothing from /src.
COPY contracts/ contracts/
COPY runtime/ runtime/
COPY services/ services/
RUN uv sync --frozen --no-dev --all-packages --no-editable \
 && /opt/inson/bin/python -c "import inson_runtime, intake.main, assessment.main, referral.main, notification.main, insight.main"

# ------------------------------------------------------------------- runtime
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="inson" \
      org.opencontainers.image.description="Inson services: intake, assessment, referral, notification, insight" \
      org.opencontainers.image.source="deploy/README.md"

# The interpreter stays; the installers it ships with go.
RUN python -m pip uninstall --yes --no-cache-dir pip setuptools wheel \
 && groupadd --system --gid 10001 inson \
 && useradd --system --uid 10001 --gid 10001 --no-create-home \
            --home-dir /nonexistent --shell /usr/sbin/nologin inson

COPY --from=build --chown=root:root /opt/inson /opt/inson

ENV PATH=/opt/inson/bin:$PATH \
    VIRTUAL_ENV=/opt/inson \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    TMPDIR=/tmp \
    INSON_HTTP_HOST=0.0.0.0 \
    INSON_LOG_JSON=true

WORKDIR /tmp
USER 10001:10001
EXPOSE 8001 8002 8003 8004 8006

# Without a command the image says how to use it.
CMD ["inson-intake", "--help"]
