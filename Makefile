# The verbs a newcomer types. `make run` and `make test` set up everything
# they need on a fresh machine: uv, the Python workspace, the Kafka jars and
# the FerretDB build.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
LOCAL := $(ROOT)/.local
UV_VERSION := 0.13.8
UV := $(LOCAL)/tools/bin/uv
RUN := $(UV) run --frozen
SERVICES := intake assessment referral notification insight

.PHONY: help setup infra-install infra-up infra-down infra-status topics run stop status test test-infra-up test-infra-down test-unit test-integration lint fmt bench faults token clean

help: ## list the verbs
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(UV):
	@echo "[setup] installing uv $(UV_VERSION) into .local/tools"
	python3 -m venv $(LOCAL)/tools
	$(LOCAL)/tools/bin/pip install -q --disable-pip-version-check uv==$(UV_VERSION)

setup: $(UV) ## install uv and the Python workspace (from uv.lock)
	$(UV) sync --frozen --all-packages

infra-install: ## fetch the Kafka jars and build FerretDB (no-op when done)
	infra/local.sh install

infra-up: ## start Kafka and FerretDB locally (idempotent) and create the topics
	infra/local.sh up
	$(MAKE) --no-print-directory topics

infra-down: ## stop Kafka and FerretDB
	infra/local.sh down

infra-status:
	@infra/local.sh status

topics: setup ## create the topics of contracts' catalogue
	$(RUN) inson-topics ensure

run: setup infra-up ## set up and start everything, print the URLs and a dev token
	@scripts/services.sh start $(SERVICES)
	@scripts/services.sh banner $(SERVICES)

stop: ## stop the services (infra-down stops Kafka and FerretDB)
	@scripts/services.sh stop $(SERVICES)

status: infra-status
	@scripts/services.sh status $(SERVICES)

token: setup ## mint a dev token: make token ROLE=supervisor SUB=sup-1 ARGS="--district 1703202"
	@$(RUN) inson-token --role $${ROLE:-social_worker} --sub $${SUB:-dev-user} $${ARGS:-}

# The tests' and the benchmark's own Kafka and FerretDB (.local/instances/),
# on ports of their own and started fresh: `make test` never changes what
# `make run` shows, and the services `make run` started may keep running.
TEST_INFRA := INSON_INFRA_INSTANCE=test INSON_KAFKA_PORT=19092 INSON_FERRET_PORT=37017
TEST_SERVERS := KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092 MONGODB_URL=mongodb://127.0.0.1:37017
BENCH_INFRA := INSON_INFRA_INSTANCE=bench INSON_KAFKA_PORT=29092 INSON_FERRET_PORT=47017
BENCH_SERVERS := KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:29092 MONGODB_URL=mongodb://127.0.0.1:47017

test-infra-up: setup infra-install ## start the tests' own Kafka and FerretDB, empty (for a bare pytest)
	@$(TEST_INFRA) infra/local.sh remove
	@$(TEST_INFRA) infra/local.sh up
	@$(TEST_SERVERS) $(RUN) inson-topics ensure

test-infra-down: ## stop the tests' Kafka and FerretDB and delete their data
	@$(TEST_INFRA) infra/local.sh remove

test: setup infra-install contracts-tools browser-tools k8s-tools ## set up and run every test on a Kafka and FerretDB of their own
	@$(RUN) python scripts/run_stack.py record $(LOCAL)/run-stack-before.json
	@$(TEST_INFRA) infra/local.sh remove
	@$(TEST_INFRA) infra/local.sh up
	@$(TEST_SERVERS) $(RUN) inson-topics ensure
	@# No $$(MAKE) on this line: `make -n test` would run it (tests read the plan).
	@rc=0; $(TEST_SERVERS) $(RUN) pytest || rc=$$?; \
		$(TEST_INFRA) infra/local.sh remove; \
		$(RUN) python scripts/run_stack.py check $(LOCAL)/run-stack-before.json || rc=1; \
		exit $$rc

.PHONY: contracts contracts-tools

contracts: setup ## regenerate the JSON schemas and asyncapi.yaml from the event classes
	$(RUN) python -m inson_contracts generate

# npm ci only when node_modules is missing or package-lock.json changed: the
# stamp holds the hash of the lock file it installed.
CONTRACTS_TOOLS_STAMP := $(LOCAL)/stamps/contracts-tools
contracts-tools: ## install the AsyncAPI validator's npm packages (contracts/tools)
	@want=$$(sha256sum contracts/tools/package-lock.json | cut -d' ' -f1); \
	have=$$(cat $(CONTRACTS_TOOLS_STAMP) 2>/dev/null || true); \
	if [ ! -d contracts/tools/node_modules ] || [ "$$want" != "$$have" ]; then \
		echo "[setup] npm ci in contracts/tools"; \
		(cd contracts/tools && npm ci --no-audit --no-fund); \
		mkdir -p $(dir $(CONTRACTS_TOOLS_STAMP)); \
		echo "$$want" > $(CONTRACTS_TOOLS_STAMP); \
	fi

.PHONY: partner-demo

# A partner's receiver on 127.0.0.1:8210-8219 that verifies every signature,
# subscribed through notification's API against the `make run` services (plain
# http to the loopback is what their development profile allows); an
# administrator sets its data-sharing level. Ctrl-C deletes the subscription.
partner-demo: setup ## a verifying partner webhook receiver, subscribed to `make run` (ARGS="--share applicant.phone", ARGS=--help)
	$(RUN) python -m notification.partner_demo $${ARGS:-}

.PHONY: browser-tools

# Debian's Chromium, which the window console's browser test drives through
# Playwright (executable_path=/usr/bin/chromium: Playwright downloads no browser
# here). DejaVu is named so Cyrillic and Uzbek Latin's ʻ render, whatever fonts
# the image has.
browser-tools: ## install Debian's chromium for the browser tests (no-op when present)
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "[setup] apt-get install chromium"; \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo apt-get update; \
		$$sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core; \
	fi

.PHONY: k8s k8s-tools

# kustomize from the Go module proxy and the operators' CRDs (Go modules,
# Maven Central) into .local/; the script's stamp makes a second run a no-op.
k8s-tools: ## install kustomize and fetch the operators' CRDs (deploy/; no-op when done)
	@deploy/tools/fetch-tools.sh

k8s: setup k8s-tools ## regenerate deploy/k8s from the code, render every overlay and validate it
	$(RUN) python deploy/tools/generate.py
	$(RUN) python deploy/tools/validate.py

test-unit: setup contracts-tools ## tests that need no servers
	$(RUN) pytest -m "not integration"

test-integration: setup infra-install contracts-tools browser-tools
	@$(TEST_INFRA) infra/local.sh remove
	@$(TEST_INFRA) infra/local.sh up
	@$(TEST_SERVERS) $(RUN) inson-topics ensure
	@rc=0; $(TEST_SERVERS) $(RUN) pytest -m integration || rc=$$?; \
		$(TEST_INFRA) infra/local.sh remove; exit $$rc

lint: setup ## ruff, mypy, the import contracts (lint-imports) and module sizes
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy
	$(RUN) lint-imports
	$(RUN) python scripts/check_module_size.py

fmt: setup
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

# On its own Kafka and FerretDB, removed afterwards. The services of `make
# run` are stopped: the figures are for a machine with nothing else on it.
bench: setup infra-install ## the platform against raw Kafka/MongoDB baselines (BENCH_ARGS=--quick: a smoke run)
	@scripts/services.sh stop $(SERVICES)
	@$(BENCH_INFRA) infra/local.sh remove
	@$(BENCH_INFRA) infra/local.sh up
	@$(BENCH_SERVERS) $(RUN) inson-topics ensure
	@rc=0; $(BENCH_SERVERS) $(RUN) python -m bench $(BENCH_ARGS) || rc=$$?; \
		$(BENCH_INFRA) infra/local.sh remove; exit $$rc

# The full fault campaign on a Kafka and FerretDB of its own (free ports, data
# under .local/instances/faults-<pid>): SIGKILL of every service, the
# broker and the store stopped for 20 s, poison, SIGTERM, while APPS applications
# flow; prints the table. REPLICAS=n runs n processes of every service (by
# default two of assessment and referral, as the short campaign inside
# `make test` does).
faults: setup infra-install ## fault-injection campaign: make faults SEED=42 [APPS=2000] [REPLICAS=2]
	@scripts/services.sh stop $(SERVICES)
	INSON_FAULTS=full INSON_FAULTS_SEED=$${SEED:-} INSON_FAULTS_APPLICATIONS=$${APPS:-2000} \
		INSON_FAULTS_REPLICAS=$${REPLICAS:-} $(RUN) pytest tests/faults -m faults_full -s

clean: stop infra-down test-infra-down ## stop everything and delete .local (data, logs, builds)
	rm -rf $(LOCAL)
