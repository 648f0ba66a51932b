#!/usr/bin/env bash
# One family from application to an approved individual plan, through the
# running services' APIs (start them with `make run` first).
#
#   scripts/walkthrough.sh            from any directory
#
# The services' addresses: INSON_INTAKE_URL (http://127.0.0.1:8001),
# INSON_ASSESSMENT_URL (http://127.0.0.1:8002) and the dev inbox that
# `make run` starts, INSON_DEV_INBOX_URL (http://127.0.0.1:8005).
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# --project: the workspace of this checkout, wherever the script is run from.
TOKEN_CMD=("$ROOT/.local/tools/bin/uv" run --frozen --project "$ROOT" inson-token)
INTAKE=${INSON_INTAKE_URL:-http://127.0.0.1:8001}
ASSESSMENT=${INSON_ASSESSMENT_URL:-http://127.0.0.1:8002}
INBOX=${INSON_DEV_INBOX_URL:-http://127.0.0.1:8005}
DISTRICT=1735207   # Beruniy
MAHALLA=1735207003 # a generated placeholder mahalla of Beruniy

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
step() { printf '\n== %s\n' "$*"; }
source "$ROOT/scripts/lib/running.sh"
need_running intake "$INTAKE" assessment "$ASSESSMENT"

# A birth date of its own per run: the same name and birth date would join
# the case of an earlier run (one case per person), whose plan is approved.
BORN=$(python3 -c "import random; print(f'19{random.randint(38, 52)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}')")

step "A social worker takes the application on a tablet in the mahalla"
WORKER_AT_INTAKE=$("${TOKEN_CMD[@]}" --role social_worker --sub tablet-user --mahalla $MAHALLA --district $DISTRICT)
SUBMITTED=$(curl -fsS -X POST $INTAKE/v1/applications \
  -H "Authorization: Bearer $WORKER_AT_INTAKE" -H "Idempotency-Key: walkthrough-$(date +%s)" \
  -H "Content-Type: application/json" -d @- <<JSON
{"channel": "mahalla_tablet",
 "applicant": {"name": {"last_name": "Saidova", "first_name": "Muhabbat"},
               "birth_date": "$BORN", "sex": "female",
               "phone": "+998901234567", "language": "uz-Cyrl"},
 "address": {"region": "1735", "district": "$DISTRICT", "mahalla": "$MAHALLA"},
 "circumstances": ["lonely_elderly", "needs_care_by_others", "disability"],
 "consent": {"given": true, "text_version": "2026-01"}}
JSON
)
echo "$SUBMITTED"
CASE=$(echo "$SUBMITTED" | json '["case_id"]')

step "Assessment assigns a social worker who covers the mahalla and schedules the home visit"
SUPERVISOR=$("${TOKEN_CMD[@]}" --role supervisor --sub sup-$DISTRICT --district $DISTRICT)
for _ in $(seq 1 60); do
  FILE=$(curl -fsS $ASSESSMENT/v1/case-files/$CASE -H "Authorization: Bearer $SUPERVISOR" 2>/dev/null || true)
  [[ -n "$FILE" ]] && echo "$FILE" | grep -q visit_at && break
  sleep 0.5
done
echo "$FILE"
WORKER_ID=$(echo "$FILE" | json '["worker_id"]')
WORKER=$("${TOKEN_CMD[@]}" --role social_worker --sub "$WORKER_ID" --mahalla $MAHALLA --district $DISTRICT)

step "The worker visits, records the household's situation; it is scored and a plan is drafted"
curl -fsS -X POST $ASSESSMENT/v1/cases/$CASE/assessment/complete \
  -H "Authorization: Bearer $WORKER" -H "Content-Type: application/json" -d @- <<'JSON' | python3 -m json.tool
{"situation": {
  "members": [{"member_ref": "m1", "age": 77, "sex": "female", "disability_group": "group_2",
               "needs_help_with_daily_living": true, "chronic_illness": true, "employment": "pensioner"}],
  "income_sources": [{"kind": "pension", "monthly_amount_uzs": 950000}],
  "housing": "needs_repair",
  "resources": {"relatives_support": false}}}
JSON

step "The Inson center supervisor approves the plan"
curl -fsS -X POST $ASSESSMENT/v1/cases/$CASE/plan/approve -H "Authorization: Bearer $SUPERVISOR"
sleep 1
curl -fsS $ASSESSMENT/v1/case-files/$CASE -H "Authorization: Bearer $SUPERVISOR" | python3 -m json.tool
echo
echo "Case $CASE: plan approved. Its events are on inson.assessment.plans.v1."

step "What Muhabbat opa was told by SMS, in her script, as the dev inbox shows it"
# Only under `make run`, whose stand-ins record what notification sends.
if curl -fsS "$INBOX/healthz" >/dev/null 2>&1; then
  for _ in $(seq 1 20); do
    TOLD=$(curl -fsS "$INBOX/messages?kind=citizen&case_id=$CASE" || true)
    [[ "$TOLD" == "["*"{"* ]] && break
    sleep 0.5
  done
  echo "$TOLD" | python3 -c "
import json, sys
for m in json.load(sys.stdin):
    print(f\"{m['channel']} {m['language']} {m['template']}: {m['text']}\")"
  echo "Every message: $INBOX/"
else
  echo "(no dev inbox at $INBOX: start the platform with make run to see the messages)"
fi
