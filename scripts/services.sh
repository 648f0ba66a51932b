#!/usr/bin/env bash
# Start, stop and describe the four services as local background processes.
#   scripts/services.sh start|stop|status|banner <service>...
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
UV="$LOCAL/tools/bin/uv"
RUN_DIR="$LOCAL/run"
LOG_DIR="$LOCAL/logs"
declare -A PORT=([intake]=8001 [assessment]=8002 [referral]=8003 [notification]=8004)

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

ready() { curl -fsS -o /dev/null "http://127.0.0.1:$1/readyz" 2>/dev/null; }

start() {
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  local svc
  for svc in "$@"; do
    local pidfile="$RUN_DIR/$svc.pid"
    if pid_alive "$pidfile"; then echo "[run] $svc: already running (pid $(cat "$pidfile"))"; continue; fi
    echo "[run] $svc: starting on 127.0.0.1:${PORT[$svc]} (log: .local/logs/$svc.log)"
    INSON_LOG_JSON=true setsid nohup "$UV" run --frozen "inson-$svc" serve --port "${PORT[$svc]}" \
      >>"$LOG_DIR/$svc.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
  done
  for svc in "$@"; do
    local i
    for ((i = 0; i < 240; i++)); do
      ready "${PORT[$svc]}" && break
      pid_alive "$RUN_DIR/$svc.pid" || { tail -n 20 "$LOG_DIR/$svc.log"; echo "[run] $svc exited" >&2; exit 1; }
      sleep 0.25
    done
    ready "${PORT[$svc]}" || { echo "[run] $svc not ready after 60s" >&2; exit 1; }
  done
}

stop() {
  local svc
  for svc in "$@"; do
    local pidfile="$RUN_DIR/$svc.pid"
    if ! pid_alive "$pidfile"; then rm -f "$pidfile"; continue; fi
    local pid; pid=$(cat "$pidfile")
    # SIGTERM: in-flight work finishes and offsets are committed first.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pidfile"
    echo "[run] $svc: stopped"
  done
}

status() {
  local svc
  for svc in "$@"; do
    if pid_alive "$RUN_DIR/$svc.pid" && ready "${PORT[$svc]}"; then
      echo "$svc: ready on http://127.0.0.1:${PORT[$svc]}"
    else
      echo "$svc: down"
    fi
  done
}

banner() {
  echo
  echo "Inson is running."
  local svc
  for svc in "$@"; do
    printf '  %-13s http://127.0.0.1:%s/docs   (/healthz /readyz /metrics)\n' "$svc" "${PORT[$svc]}"
  done
  echo "  Kafka         ${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}"
  echo "  MongoDB       ${MONGODB_URL:-mongodb://127.0.0.1:27017} (FerretDB on SQLite when local)"
  echo
  echo "A dev token (a social worker covering two mahallas, valid 8h):"
  "$UV" run --frozen inson-token --role social_worker --sub dev-worker-1 \
    --mahalla 3504201001 --mahalla 3504201002 --district 3504201 --ttl 8h
  echo
  echo "Other roles: make token ROLE=supervisor SUB=sup-1 ARGS='--district 3504201'"
  echo "Stop: make stop (services), make infra-down (Kafka and FerretDB)"
}

cmd=$1; shift
"$cmd" "$@"
