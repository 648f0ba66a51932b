#!/usr/bin/env bash
# Install what `make k8s` and tests/deploy need, into .local/ (git-ignored):
#   - kustomize, built from the Go module proxy  -> .local/tools/bin/kustomize
#   - the operators' CRDs, for schema validation -> .local/deploy/crds/<source>/
#       KEDA, prometheus-operator, MongoDB Community operator, cert-manager:
#         from their Go modules (the module proxy serves the whole repository
#         tree of a tagged version, config/ and example/ included);
#       Strimzi: from Maven Central (io.strimzi:api's test jar, crds/v1/).
# Third-party CRDs are never committed. A stamp holding the hash of this
# script and of the pom makes a second run a no-op.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LOCAL="$ROOT/.local"
BIN="$LOCAL/tools/bin"
CRDS="$LOCAL/deploy/crds"
STAMP="$LOCAL/stamps/k8s-tools"

# kustomize v5.8.3 needs Go 1.27; v5.8.2 builds with Go 1.26.
KUSTOMIZE_VERSION=v5.8.2
KEDA=github.com/kedacore/keda/v2@v2.21.0
PROMETHEUS_OPERATOR=github.com/prometheus-operator/prometheus-operator@v0.85.0
# The archived community operator's last release; its successor (MongoDB
# Controllers for Kubernetes) serves the same mongodbcommunity.mongodb.com/v1 CRD.
MONGODB_OPERATOR=github.com/mongodb/mongodb-kubernetes-operator@v0.13.0
CERT_MANAGER=github.com/cert-manager/cert-manager@v1.21.2

want=$(cat "$0" "$ROOT/deploy/tools/strimzi/pom.xml" | sha256sum | cut -d' ' -f1)
have=$(cat "$STAMP" 2>/dev/null || true)
if [[ "$want" == "$have" && -x "$BIN/kustomize" && -d "$CRDS/strimzi" ]]; then
  exit 0
fi

command -v go >/dev/null || { echo "go is required to build kustomize" >&2; exit 1; }
command -v mvn >/dev/null || { echo "mvn is required to fetch Strimzi's CRDs" >&2; exit 1; }
mkdir -p "$BIN"

echo "[setup] kustomize $KUSTOMIZE_VERSION from the Go module proxy"
GOBIN="$BIN" GOFLAGS='-buildvcs=false' GOTOOLCHAIN=local \
  go install -trimpath "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"

rm -rf "$CRDS.tmp"
mkdir -p "$CRDS.tmp"

# module@version, folder inside it, files to take, destination
from_go_module() {
  local module="$1" folder="$2" pattern="$3" dest="$CRDS.tmp/$4" dir
  echo "[setup] CRDs from $module"
  dir=$(GOFLAGS='' GOTOOLCHAIN=local go mod download -json "$module" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -n "$dir" && -d "$dir/$folder" ]] || { echo "no $folder in $module" >&2; exit 1; }
  mkdir -p "$dest"
  cp "$dir/$folder"/$pattern "$dest/"
  chmod u+w "$dest"/*
}
from_go_module "$KEDA" config/crd/bases 'keda.sh_*.yaml' keda
from_go_module "$PROMETHEUS_OPERATOR" example/prometheus-operator-crd 'monitoring.coreos.com_*.yaml' prometheus-operator
from_go_module "$MONGODB_OPERATOR" config/crd/bases 'mongodbcommunity.mongodb.com_*.yaml' mongodb
from_go_module "$CERT_MANAGER" deploy/crds 'cert-manager.io_*.yaml' cert-manager

echo "[setup] Strimzi CRDs from Maven Central (io.strimzi:api, tests jar)"
lib="$LOCAL/deploy/strimzi-lib"
rm -rf "$lib"
mkdir -p "$LOCAL/deploy"
if ! (cd "$ROOT/deploy/tools/strimzi" && mvn -B -Dstyle.color=never dependency:copy-dependencies \
  -DoutputDirectory="$lib" -DexcludeTransitive=true) >"$LOCAL/deploy/mvn.log" 2>&1; then
  cat "$LOCAL/deploy/mvn.log" >&2
  exit 1
fi
jar=$(ls "$lib"/api-*-tests.jar)
mkdir -p "$CRDS.tmp/strimzi"
python3 - "$jar" "$CRDS.tmp/strimzi" <<'PY'
import pathlib, sys, zipfile
jar, dest = sys.argv[1], pathlib.Path(sys.argv[2])
with zipfile.ZipFile(jar) as z:
    names = [n for n in z.namelist() if n.startswith("crds/v1/") and n.endswith(".yaml")]
    for name in names:
        (dest / pathlib.PurePosixPath(name).name).write_bytes(z.read(name))
if not names:
    sys.exit(f"no crds/v1/*.yaml in {jar}")
PY

rm -rf "$CRDS"
mv "$CRDS.tmp" "$CRDS"
mkdir -p "$(dirname "$STAMP")"
echo "$want" > "$STAMP"
echo "[setup] CRDs in ${CRDS#"$ROOT/"}: $(find "$CRDS" -name '*.yaml' | wc -l) files"
