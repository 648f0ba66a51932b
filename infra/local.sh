#!/usr/bin/env bash
# Local infrastructure without Docker: a single-node KRaft Kafka broker built
# from Maven Central jars, and FerretDB (MongoDB wire protocol) on SQLite built
# from the Go module proxy. Everything lives under .local/ (git-ignored).
#
#   infra/local.sh install            fetch / build what is missing
#   infra/local.sh up [kafka|ferretdb] start (idempotent), wait until it answers
#   infra/local.sh down [kafka|ferretdb]
#   infra/local.sh status
#   infra/local.sh remove             (a named instance only) stop it, delete its data
#
# KAFKA_BOOTSTRAP_SERVERS / MONGODB_URL, when set, point at servers run by
# somebody else: the matching local server is then neither built nor started.
#
# INSON_INFRA_INSTANCE=<name> runs a second, independent pair of servers that
# share the installed binaries but have their own data, PID files and ports
# (INSON_KAFKA_PORT, INSON_KAFKA_CONTROLLER_PORT, INSON_FERRET_PORT). The fault
# suite uses one so it can stop and start "the broker" and "the store" without
# pulling them from under every other test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="${INSON_LOCAL_DIR:-$ROOT/.local}"
KAFKA_HOME="$LOCAL/kafka"
FERRET_HOME="$LOCAL/ferretdb"
INSTANCE="${INSON_INFRA_INSTANCE:-}"
if [[ -n "$INSTANCE" ]]; then
  [[ "$INSTANCE" =~ ^[a-z0-9-]+$ ]] || { echo "INSON_INFRA_INSTANCE must be [a-z0-9-]+" >&2; exit 2; }
  STATE="$LOCAL/instances/$INSTANCE"
  KAFKA_STATE="$STATE/kafka"
  FERRET_STATE="$STATE/ferretdb"
else
  KAFKA_STATE="$KAFKA_HOME"
  FERRET_STATE="$FERRET_HOME"
fi
KAFKA_PORT="${INSON_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${INSON_KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
FERRET_PORT="${INSON_FERRET_PORT:-27017}"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

kafka_external() { [[ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ]]; }
mongo_external() { [[ -n "${MONGODB_URL:-}" ]]; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() {
  local pidfile=$1
  [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# Stamps keyed on the recipe's hash, so a changed pom.xml / go.sum rebuilds.
# Contents only (not paths), so every checkout of the same recipe agrees.
stamp_of() { cat "$@" | sha256sum | cut -c1-16; }

install_kafka() {
  kafka_external && return 0
  local want; want=$(stamp_of "$ROOT/infra/kafka/pom.xml")
  if [[ -f "$KAFKA_HOME/libs.stamp" && "$(cat "$KAFKA_HOME/libs.stamp")" == "$want" ]]; then
    return 0
  fi
  command -v java >/dev/null || die "java (17+) is required for the local Kafka broker"
  command -v mvn >/dev/null || die "mvn is required to fetch the Kafka jars"
  log "fetching Kafka broker jars from Maven Central"
  rm -rf "$KAFKA_HOME/libs"
  mkdir -p "$KAFKA_HOME"
  (cd "$ROOT/infra/kafka" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_HOME/libs")
  echo "$want" >"$KAFKA_HOME/libs.stamp"
}

install_ferretdb() {
  mongo_external && return 0
  local want; want=$(stamp_of "$ROOT/infra/ferretdb/go.mod" "$ROOT/infra/ferretdb/go.sum" \
    "$ROOT/infra/ferretdb/main.go" "$ROOT"/infra/ferretdb/patches/*.patch)
  if [[ -x "$FERRET_HOME/bin/ferretdb" && -f "$FERRET_HOME/bin.stamp" \
    && "$(cat "$FERRET_HOME/bin.stamp")" == "$want" ]]; then
    return 0
  fi
  command -v go >/dev/null || die "go is required to build FerretDB"
  command -v git >/dev/null || die "git is required to patch FerretDB"
  log "building FerretDB from the Go module proxy (about a minute on 2 cores)"
  mkdir -p "$FERRET_HOME/bin"
  # FerretDB is built from a patched copy of the module (infra/ferretdb/patches,
  # see its README): upstream v1.24.2's SQLite backend never uses its _id index.
  local build="$FERRET_HOME/build"
  rm -rf "$build" && mkdir -p "$build"
  cp "$ROOT"/infra/ferretdb/{go.mod,go.sum,main.go} "$build/"
  # go.sum is committed, so the checksum database need not be reachable.
  (cd "$build" && GOFLAGS='-mod=readonly' go mod download github.com/FerretDB/FerretDB)
  local upstream
  upstream=$(cd "$build" && GOFLAGS='-mod=readonly' go list -m -f '{{.Dir}}' github.com/FerretDB/FerretDB)
  cp -r "$upstream" "$build/ferretdb-src" && chmod -R u+w "$build/ferretdb-src"
  # A repository of its own: inside this project's work tree, `git apply`
  # would silently skip every path outside the current directory.
  git -C "$build/ferretdb-src" init -q
  local patch
  for patch in "$ROOT"/infra/ferretdb/patches/*.patch; do
    git -C "$build/ferretdb-src" apply "$patch" \
      || die "patch $(basename "$patch") does not apply to the FerretDB module"
    # Proof it landed: only an applied patch can be reversed.
    git -C "$build/ferretdb-src" apply --reverse --check "$patch" 2>/dev/null \
      || die "patch $(basename "$patch") changed nothing"
  done
  (cd "$build" && go mod edit -replace github.com/FerretDB/FerretDB=./ferretdb-src \
    && GOFLAGS='-mod=readonly -buildvcs=false' go build -trimpath -o "$FERRET_HOME/bin/ferretdb.tmp" .)
  mv "$FERRET_HOME/bin/ferretdb.tmp" "$FERRET_HOME/bin/ferretdb"
  rm -rf "$build"
  echo "$want" >"$FERRET_HOME/bin.stamp"
}

wait_port() {
  local name=$1 port=$2 pidfile=$3 logfile=$4 secs=${5:-90}
  local i
  for ((i = 0; i < secs * 4; i++)); do
    port_open "$port" && return 0
    if ! pid_alive "$pidfile"; then
      tail -n 30 "$logfile" >&2 || true
      die "$name exited during start-up (log: $logfile)"
    fi
    sleep 0.25
  done
  tail -n 30 "$logfile" >&2 || true
  die "$name did not answer on 127.0.0.1:$port within ${secs}s (log: $logfile)"
}

up_kafka() {
  if kafka_external; then log "Kafka: external ($KAFKA_BOOTSTRAP_SERVERS), nothing started"; return; fi
  install_kafka
  local pidfile="$KAFKA_STATE/kafka.pid" data="$KAFKA_STATE/data" logs="$KAFKA_STATE/logs"
  if pid_alive "$pidfile" && port_open $KAFKA_PORT; then
    log "Kafka: already up (pid $(cat "$pidfile"))"; return
  fi
  port_open $KAFKA_PORT && die "port $KAFKA_PORT is taken by a process this script did not start"
  mkdir -p "$data" "$logs"
  sed -e "s#@DATA_DIR@#$data#" -e "s#@PORT@#$KAFKA_PORT#g" \
    -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
    "$ROOT/infra/kafka/server.properties.in" >"$KAFKA_STATE/server.properties"
  local cp="$KAFKA_HOME/libs/*"
  local jvm=(-Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$ROOT/infra/kafka/log4j2.yaml" "-Dkafka.logs.dir=$logs")
  if [[ ! -f "$data/meta.properties" ]]; then
    local cluster_id
    cluster_id=$(java -cp "$cp" "${jvm[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)
    java -cp "$cp" "${jvm[@]}" kafka.tools.StorageTool format --ignore-formatted \
      -t "$cluster_id" -c "$KAFKA_STATE/server.properties" >>"$logs/storage-format.log" 2>&1 \
      || die "formatting Kafka storage failed (log: $logs/storage-format.log)"
  fi
  # A restart appends to server.log: only lines written after this point count.
  local log_from; log_from=$(( $(stat -c %s "$logs/server.log" 2>/dev/null || echo 0) + 1 ))
  log "Kafka: starting on 127.0.0.1:$KAFKA_PORT"
  setsid nohup java -cp "$cp" "${jvm[@]}" kafka.Kafka "$KAFKA_STATE/server.properties" \
    >"$logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  wait_port Kafka $KAFKA_PORT "$pidfile" "$logs/stdout.log" 120
  # The port opens before the broker has registered with its controller.
  local i
  for ((i = 0; i < 240; i++)); do
    tail -c "+$log_from" "$logs/server.log" 2>/dev/null | grep -q "Kafka Server started" \
      && { log "Kafka: up"; return; }
    sleep 0.25
  done
  die "Kafka opened its port but never reported 'started' (log: $logs/server.log)"
}

up_ferretdb() {
  if mongo_external; then log "MongoDB: external, nothing started"; return; fi
  install_ferretdb
  local pidfile="$FERRET_STATE/ferretdb.pid" data="$FERRET_STATE/data"
  if pid_alive "$pidfile" && port_open $FERRET_PORT; then
    log "FerretDB: already up (pid $(cat "$pidfile"))"; return
  fi
  port_open $FERRET_PORT && die "port $FERRET_PORT is taken by a process this script did not start"
  mkdir -p "$data"
  log "FerretDB: starting on 127.0.0.1:$FERRET_PORT"
  # synchronous(normal) in WAL mode: a commit is not fsynced, yet survives the
  # process being killed (only an OS crash could lose the last commits); it
  # halves the cost of a write here. A local development store; production
  # runs MongoDB with its own write concern.
  local debug=()
  # INSON_FERRET_DEBUG_ADDR=127.0.0.1:6060 serves Go's pprof profiles (profiling only).
  [[ -n "${INSON_FERRET_DEBUG_ADDR:-}" ]] && debug=(--debug-addr "$INSON_FERRET_DEBUG_ADDR")
  # GOGC=400: a quarter of the garbage collections. FerretDB decodes every
  # document it reads into fresh objects, and collecting them took a fifth
  # of its CPU (pprof); with 400 the same P2 run at 5/s cost it 25.8 CPU
  # seconds instead of 32.2, for a few hundred MB more memory.
  GOGC=${INSON_FERRET_GOGC:-400} setsid nohup "$FERRET_HOME/bin/ferretdb" --listen-addr "127.0.0.1:$FERRET_PORT" \
    --sqlite-url "file:$data/?_pragma=synchronous(normal)" "${debug[@]}" \
    >"$FERRET_STATE/ferretdb.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  wait_port FerretDB $FERRET_PORT "$pidfile" "$FERRET_STATE/ferretdb.log" 60
  log "FerretDB: up"
}

stop_pidfile() {
  local name=$1 pidfile=$2
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; log "$name: not running"; return; fi
  local pid; pid=$(cat "$pidfile")
  log "$name: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 120; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; log "$name: stopped"; return; }
    sleep 0.25
  done
  log "$name: did not stop in 30s, killing"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

status() {
  local name pidfile port
  for spec in "Kafka:$KAFKA_STATE/kafka.pid:$KAFKA_PORT" "FerretDB:$FERRET_STATE/ferretdb.pid:$FERRET_PORT"; do
    IFS=: read -r name pidfile port <<<"$spec"
    if pid_alive "$pidfile" && port_open "$port"; then
      echo "$name: up (pid $(cat "$pidfile"), 127.0.0.1:$port)"
    else
      echo "$name: down"
    fi
  done
}

cmd=${1:-status}
what=${2:-all}
case "$cmd:$what" in
  install:all) install_kafka; install_ferretdb ;;
  up:all) up_ferretdb; up_kafka ;;
  up:kafka) up_kafka ;;
  up:ferretdb) up_ferretdb ;;
  down:all) stop_pidfile Kafka "$KAFKA_STATE/kafka.pid"; stop_pidfile FerretDB "$FERRET_STATE/ferretdb.pid" ;;
  down:kafka) stop_pidfile Kafka "$KAFKA_STATE/kafka.pid" ;;
  down:ferretdb) stop_pidfile FerretDB "$FERRET_STATE/ferretdb.pid" ;;
  status:*) status ;;
  remove:all)
    # Only a named instance: the default one holds what `make run` shows.
    [[ -n "$INSTANCE" ]] || die "remove needs INSON_INFRA_INSTANCE (the default instance is kept)"
    stop_pidfile Kafka "$KAFKA_STATE/kafka.pid"
    stop_pidfile FerretDB "$FERRET_STATE/ferretdb.pid"
    rm -rf "$STATE"
    log "instance $INSTANCE: removed"
    ;;
  *) die "usage: $0 {install|up|down|status|remove} [kafka|ferretdb]" ;;
esac
