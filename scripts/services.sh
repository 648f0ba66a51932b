#!/usr/bin/env bash
# Start, stop and describe the services as local background processes.
#   scripts/services.sh start|stop|status|banner <service>...
# Works from any directory. With notification, the dev stand-ins for its
# providers (python -m devsinks: SMS gateway, bot API, SMTP relay and the dev
# inbox) run beside it, and each channel not configured in the environment
# (INSON_SMS_GATEWAY_URL, INSON_TELEGRAM_API_BASE, INSON_SMTP_HOST) goes to
# them. Ports: INTAKE_PORT ... NOTIFICATION_PORT, INSIGHT_PORT, DEVSINKS_PORT,
# DEVSINKS_SMTP_PORT.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOCAL="$ROOT/.local"
UV="$LOCAL/tools/bin/uv"
RUN_DIR="$LOCAL/run"
LOG_DIR="$LOCAL/logs"
declare -A PORT=(
  [intake]=${INTAKE_PORT:-8001}
  [assessment]=${ASSESSMENT_PORT:-8002}
  [referral]=${REFERRAL_PORT:-8003}
  [notification]=${NOTIFICATION_PORT:-8004}
  [insight]=${INSIGHT_PORT:-8006}
)
SINKS_PORT=${DEVSINKS_PORT:-8005}
SINKS_SMTP_PORT=${DEVSINKS_SMTP_PORT:-8025}
SINKS_SMS_TOKEN=dev-sms-token
SINKS_BOT_TOKEN=0000000000:dev-bot

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

ready() { curl -fsS -o /dev/null "http://127.0.0.1:$1/${2:-readyz}" 2>/dev/null; }

has_notification() { [[ " $* " == *" notification "* ]]; }

# The environment notification gets: its channels, the stand-ins for those unset.
channel_env() {
  local env=()
  if [[ -z "${INSON_SMS_GATEWAY_URL:-}" ]]; then
    env+=("INSON_SMS_GATEWAY_URL=http://127.0.0.1:$SINKS_PORT/sms" "INSON_SMS_GATEWAY_TOKEN=$SINKS_SMS_TOKEN")
  fi
  if [[ -z "${INSON_TELEGRAM_API_BASE:-}" ]]; then
    env+=("INSON_TELEGRAM_API_BASE=http://127.0.0.1:$SINKS_PORT" "INSON_TELEGRAM_BOT_TOKEN=$SINKS_BOT_TOKEN")
  fi
  if [[ -z "${INSON_SMTP_HOST:-}" ]]; then
    env+=("INSON_SMTP_HOST=127.0.0.1" "INSON_SMTP_PORT=$SINKS_SMTP_PORT")
  fi
  ((${#env[@]})) && printf '%s\n' "${env[@]}"
  return 0
}

start_sinks() {
  local pidfile="$RUN_DIR/devsinks.pid"
  if pid_alive "$pidfile"; then echo "[run] devsinks: already running (pid $(cat "$pidfile"))"; return; fi
  echo "[run] devsinks: SMS gateway, bot API and dev inbox on 127.0.0.1:$SINKS_PORT, SMTP on :$SINKS_SMTP_PORT (log: .local/logs/devsinks.log)"
  setsid nohup "$UV" run --frozen python -m devsinks \
    --http-port "$SINKS_PORT" --smtp-port "$SINKS_SMTP_PORT" \
    --mongodb-url "${MONGODB_URL:-mongodb://127.0.0.1:27017}" \
    --notification-database "${INSON_MONGODB_DATABASE:-inson_notification}" \
    --sms-token "$SINKS_SMS_TOKEN" --bot-token "$SINKS_BOT_TOKEN" \
    >>"$LOG_DIR/devsinks.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local i
  for ((i = 0; i < 120; i++)); do
    ready "$SINKS_PORT" healthz && return
    pid_alive "$pidfile" || { tail -n 20 "$LOG_DIR/devsinks.log"; echo "[run] devsinks exited" >&2; exit 1; }
    sleep 0.25
  done
  echo "[run] devsinks not ready after 30s" >&2
  exit 1
}

start() {
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  has_notification "$@" && start_sinks
  local svc
  for svc in "$@"; do
    local pidfile="$RUN_DIR/$svc.pid"
    if pid_alive "$pidfile"; then echo "[run] $svc: already running (pid $(cat "$pidfile"))"; continue; fi
    echo "[run] $svc: starting on 127.0.0.1:${PORT[$svc]} (log: .local/logs/$svc.log)"
    local env=()
    [[ "$svc" == notification ]] && mapfile -t env < <(channel_env)
    # The tablet app is served by assessment and posts applications to intake.
    [[ "$svc" == intake ]] && env+=("INSON_CORS_ORIGINS=${INSON_CORS_ORIGINS:-http://127.0.0.1:${PORT[assessment]},http://localhost:${PORT[assessment]}}")
    [[ "$svc" == assessment ]] && env+=("INSON_INTAKE_URL=${INSON_INTAKE_URL:-http://127.0.0.1:${PORT[intake]}}")
    env "${env[@]}" INSON_LOG_JSON=true setsid nohup "$UV" run --frozen "inson-$svc" serve --port "${PORT[$svc]}" \
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

stop_one() {
  local name=$1 pidfile="$RUN_DIR/$1.pid"
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; return; fi
  local pid; pid=$(cat "$pidfile")
  # SIGTERM: in-flight work finishes and offsets are committed first.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pidfile"
  echo "[run] $name: stopped"
}

stop() {
  local svc
  for svc in "$@"; do stop_one "$svc"; done
  # After notification, which may still be sending to them.
  has_notification "$@" && stop_one devsinks
  return 0
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
  if has_notification "$@"; then
    if pid_alive "$RUN_DIR/devsinks.pid" && ready "$SINKS_PORT" healthz; then
      echo "devsinks: dev inbox on http://127.0.0.1:$SINKS_PORT/"
    else
      echo "devsinks: down"
    fi
  fi
}

banner() {
  echo
  echo "Inson is running."
  local svc
  for svc in "$@"; do
    printf '  %-13s http://127.0.0.1:%s/docs   (/healthz /readyz /metrics)\n' "$svc" "${PORT[$svc]}"
  done
  if [[ " $* " == *" assessment "* ]]; then
    printf '  %-13s http://127.0.0.1:%s/tablet/   offline-first app of the social worker (the token below)\n' \
      "tablet app" "${PORT[assessment]}"
  fi
  if [[ " $* " == *" insight "* ]]; then
    printf '  %-13s http://127.0.0.1:%s/kpi   figures by mahalla, district, region (supervisor or admin token)\n' \
      "KPI page" "${PORT[insight]}"
  fi
  if has_notification "$@"; then
    printf '  %-13s http://127.0.0.1:%s/   every SMS, chat message and e-mail notification sent\n' \
      "dev inbox" "$SINKS_PORT"
    local env; env=$(channel_env | { grep -E '_(URL|BASE|HOST)=' || true; } | sed 's/^/                  /')
    [[ -n "$env" ]] && printf '  %-13s local stand-ins (devsinks):\n%s\n' "channels" "$env"
  fi
  echo "  Kafka         ${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}"
  echo "  MongoDB       ${MONGODB_URL:-mongodb://127.0.0.1:27017} (FerretDB on SQLite when local)"
  echo
  echo "A dev token (a social worker covering two mahallas, valid 8h):"
  "$UV" run --frozen inson-token --role social_worker --sub dev-worker-1 \
    --mahalla 3504201001 --mahalla 3504201002 --district 3504201 --ttl 8h
  echo
  if [[ " $* " == *" assessment "* ]]; then
    # The tablet app lists the signed-in worker's own cases: its token names a
    # worker of the staff directory, who is assigned what their mahallas apply for.
    echo "The tablet app's worker (of the staff directory; mahallas 1735207004 and 1735207005):"
    echo "  make token SUB=sw-1735207-03 ARGS='--mahalla 1735207004 --mahalla 1735207005 --district 1735207 --ttl 8h'"
  fi
  echo "Other roles: make token ROLE=supervisor SUB=sup-1 ARGS='--district 3504201'"
  echo "             make token ROLE=admin SUB=admin-1 (the KPI page, every district)"
  echo "Try it: scripts/walkthrough.sh (a family to an approved plan; its SMS in the dev inbox),"
  echo "        make partner-demo (a partner's webhook receiver, signatures checked)"
  echo "Stop: make stop (services), make infra-down (Kafka and FerretDB)"
}

cmd=$1; shift
"$cmd" "$@"
