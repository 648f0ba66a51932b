#!/usr/bin/env bash
# One person's plan carried to completion through every kind of provider, a
# refusal and a revision on the way, through the running services' APIs
# (start them with `make run` first).
#
#   scripts/walkthrough-providers.sh  from any directory
#
# The services' addresses: INSON_INTAKE_URL (http://127.0.0.1:8001),
# INSON_ASSESSMENT_URL (:8002) and INSON_REFERRAL_URL (:8003).
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# --project: the workspace of this checkout, wherever the script is run from.
TOKEN_CMD=("$ROOT/.local/tools/bin/uv" run --frozen --project "$ROOT" inson-token)
PY=("$ROOT/.local/tools/bin/uv" run --frozen --project "$ROOT" python)
INTAKE=${INSON_INTAKE_URL:-http://127.0.0.1:8001}
ASSESSMENT=${INSON_ASSESSMENT_URL:-http://127.0.0.1:8002}
REFERRAL=${INSON_REFERRAL_URL:-http://127.0.0.1:8003}
DISTRICT=1735207   # Beruniy
MAHALLA=1735207004 # a generated placeholder mahalla of Beruniy

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
step() { printf '\n== %s\n' "$*"; }
source "$ROOT/scripts/lib/running.sh"
need_running intake "$INTAKE" assessment "$ASSESSMENT" referral "$REFERRAL"
token() { "${TOKEN_CMD[@]}" "$@"; }
referral_id() { "${PY[@]}" -c "from referral.domain.routing import referral_id; print(referral_id('$1', '$2', ${3:-1}))"; }
wait_for() { # wait_for <what> <command...>: retry for up to 60 s
  local what=$1; shift
  for _ in $(seq 1 120); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "timed out waiting for $what" >&2; return 1
}

SUPERVISOR=$(token --role supervisor --sub sup-$DISTRICT --district $DISTRICT)
ADMIN=$(token --role admin --sub admin-1)

# A birth date of its own per run: the same name and birth date would join
# the case of an earlier run (one case per person) instead of opening one.
BORN=$(python3 -c "import random; print(f'19{random.randint(38, 52)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}')")

step "A social worker takes the application of a lonely elderly woman at her home"
TABLET=$(token --role social_worker --sub tablet-user --mahalla $MAHALLA --district $DISTRICT)
CASE=$(curl -fsS -X POST $INTAKE/v1/applications \
  -H "Authorization: Bearer $TABLET" -H "Idempotency-Key: providers-$(date +%s)" \
  -H "Content-Type: application/json" -d @- <<JSON | json '["case_id"]'
{"channel": "mahalla_tablet",
 "applicant": {"name": {"last_name": "Qodirova", "first_name": "Malika", "patronymic": "Rustamovna"},
               "birth_date": "$BORN", "sex": "female", "language": "uz-Latn"},
 "address": {"region": "1735", "district": "$DISTRICT", "mahalla": "$MAHALLA",
             "street": "Alisher Navoiy koʻchasi", "house": "12"},
 "circumstances": ["lonely_elderly", "needs_care_by_others", "disability"],
 "consent": {"given": true, "text_version": "2026-01"}}
JSON
)
echo "case $CASE"

step "Assessment assigns the social worker who covers the mahalla"
assigned() { curl -fsS $ASSESSMENT/v1/case-files/$CASE -H "Authorization: Bearer $SUPERVISOR" | grep -q visit_at; }
wait_for "the assignment" assigned
WORKER_ID=$(curl -fsS $ASSESSMENT/v1/case-files/$CASE -H "Authorization: Bearer $SUPERVISOR" | json '["worker_id"]')
WORKER=$(token --role social_worker --sub "$WORKER_ID" --mahalla $MAHALLA --district $DISTRICT)
echo "worker $WORKER_ID"

step "The home visit: the plan is drafted from the needs the worker found"
complete() {
  curl -fsS -X POST $ASSESSMENT/v1/cases/$CASE/assessment/complete \
    -H "Authorization: Bearer $WORKER" -H "Content-Type: application/json" -d @- <<'JSON'
{"situation": {
  "members": [{"member_ref": "m1", "age": 78, "sex": "female", "employment": "pensioner",
               "needs_help_with_daily_living": true, "chronic_illness": true}],
  "income_sources": [{"kind": "pension", "monthly_amount_uzs": 900000}],
  "housing": "adequate"}}
JSON
}
# Until intake's facts reached assessment the completion is refused (409).
for _ in $(seq 1 120); do COMPLETED=$(complete 2>/dev/null) && break; sleep 0.5; done
echo "$COMPLETED" | python3 -c "import json,sys; a=json.load(sys.stdin); print('drafted:', [(i['service_code'], i.get('needs')) for i in a['plan_items']]); print('offered:', a.get('offered_services'))"

step "The worker plans one service from each kind of provider; the supervisor approves"
curl -fsS -X PUT $ASSESSMENT/v1/cases/$CASE/plan/draft \
  -H "Authorization: Bearer $WORKER" -H "Content-Type: application/json" -d @- <<'JSON'
{"items": [
  {"item_id": "care-at-home", "service_code": "HOME-01", "provider_type": "inson_center"},
  {"item_id": "nurse", "service_code": "HOME-02", "provider_type": "health_facility"},
  {"item_id": "wheelchair", "service_code": "DIS-03", "provider_type": "social_service_window"},
  {"item_id": "food-parcel", "service_code": "KIND-01", "provider_type": "mahalla"},
  {"item_id": "job-for-grandson", "service_code": "EMP-01", "provider_type": "employment_center"},
  {"item_id": "volunteer-visits", "service_code": "DIS-05", "provider_type": "ngo_partner"},
  {"item_id": "tutoring", "service_code": "EDU-01", "provider_type": "education_body"}]}
JSON
curl -fsS -X POST $ASSESSMENT/v1/cases/$CASE/plan/approve -H "Authorization: Bearer $SUPERVISOR"
PLAN=$(curl -fsS $ASSESSMENT/v1/case-files/$CASE -H "Authorization: Bearer $SUPERVISOR" | json '["plan_id"]')
ITEMS=(care-at-home nurse wheelchair food-parcel job-for-grandson volunteer-visits tutoring)
declare -A RID
for item in "${ITEMS[@]}"; do
  RID[$item]=$(referral_id "$PLAN" "$item")
  wait_for "the referral of $item" curl -fsS $REFERRAL/v1/referrals/${RID[$item]} -H "Authorization: Bearer $ADMIN"
  curl -fsS $REFERRAL/v1/referrals/${RID[$item]} -H "Authorization: Bearer $ADMIN" \
    | python3 -c "import json,sys; r=json.load(sys.stdin); print(f\"{r['referral_code']}  {r['service_code']:8} -> {r['provider_type']:22} {r.get('provider') or r.get('window')}\")"
done

staff_of() { # the token of whoever acts on this referral: a window's operator or a provider's
  local detail; detail=$(curl -fsS $REFERRAL/v1/referrals/$1 -H "Authorization: Bearer $ADMIN")
  local kind; kind=$(echo "$detail" | json '["provider_type"]')
  if [[ $kind == social_service_window ]]; then
    token --role window_operator --sub op-window --service-center "$(echo "$detail" | json '["service_center"]')" --district $DISTRICT
  else
    local code; code=$(echo "$detail" | json '["provider"]')
    token --role provider_operator --sub "op-$code" --provider "$code"
  fi
}
act() { # act <referral> <step> [json body]
  local body=${3:-'{}'}
  curl -fsS -X POST $REFERRAL/v1/referrals/$1/$2 -H "Authorization: Bearer $(staff_of "$1")" \
    -H "Content-Type: application/json" -d "$body" | json '["status"]'
}

step "The employment center refuses: documents are missing"
act "${RID[job-for-grandson]}" reject '{"code": "documents_missing", "reason": "Mehnat daftarchasi nusxasi yoʻq"}'

step "The worker sees the refusal and its reason in their attention list"
told() { curl -fsS $ASSESSMENT/v1/attention -H "Authorization: Bearer $WORKER" | grep -q "$CASE"; }
wait_for "the refusal in the worker's list" told
curl -fsS $ASSESSMENT/v1/attention -H "Authorization: Bearer $WORKER" \
  | python3 -c "import json,sys; [print(i['item_id'], i['attention'], i['referral'].get('rejection_code'), '-', i.get('reason')) for i in json.load(sys.stdin)['items'] if i['case_id']=='$CASE']"

step "A revision with an unknown service is refused (422), nothing written"
curl -sS -w '\nHTTP %{http_code}\n' -X POST $ASSESSMENT/v1/cases/$CASE/plan/revise \
  -H "Authorization: Bearer $WORKER" -H "Content-Type: application/json" \
  -d '{"items": [{"item_id": "x", "service_code": "ZZZ-99", "provider_type": "other"}], "reason": "typo"}'

step "The documents arrive: the worker revises the plan keeping the item, and it is referred again"
curl -fsS -X POST $ASSESSMENT/v1/cases/$CASE/plan/revise \
  -H "Authorization: Bearer $WORKER" -H "Content-Type: application/json" -d @- <<'JSON'
{"reason": "the employment record was brought", "items": [
  {"item_id": "care-at-home", "service_code": "HOME-01", "provider_type": "inson_center"},
  {"item_id": "nurse", "service_code": "HOME-02", "provider_type": "health_facility"},
  {"item_id": "wheelchair", "service_code": "DIS-03", "provider_type": "social_service_window"},
  {"item_id": "food-parcel", "service_code": "KIND-01", "provider_type": "mahalla"},
  {"item_id": "job-for-grandson", "service_code": "EMP-01", "provider_type": "employment_center"},
  {"item_id": "volunteer-visits", "service_code": "DIS-05", "provider_type": "ngo_partner"},
  {"item_id": "tutoring", "service_code": "EDU-01", "provider_type": "education_body"}]}
JSON
RID[job-for-grandson]=$(referral_id "$PLAN" job-for-grandson 2)
wait_for "the referral issued again" curl -fsS $REFERRAL/v1/referrals/${RID[job-for-grandson]} -H "Authorization: Bearer $ADMIN"
curl -fsS $REFERRAL/v1/referrals/${RID[job-for-grandson]} -H "Authorization: Bearer $ADMIN" \
  | python3 -c "import json,sys; r=json.load(sys.stdin); print('issued again:', r['referral_code'], 'replaces', r['replaces'])"

step "The health facility's nurse opens the referral: whom to visit, and where (an audited read)"
curl -fsS $REFERRAL/v1/referrals/${RID[nurse]}/person -H "Authorization: Bearer $(staff_of "${RID[nurse]}")" \
  | python3 -c "import json,sys; print(json.dumps(json.load(sys.stdin), ensure_ascii=False, indent=2))"

step "Every provider accepts, starts and completes its referral"
for item in "${ITEMS[@]}"; do
  printf '%-18s' "$item"
  act "${RID[$item]}" accept >/dev/null
  act "${RID[$item]}" start >/dev/null
  act "${RID[$item]}" complete '{"note": "xizmat koʻrsatildi"}'
done

step "The plan is completed, and intake closes the case"
completed() { curl -fsS $ASSESSMENT/v1/case-files/$CASE -H "Authorization: Bearer $SUPERVISOR" | grep -q '"plan_status": *"completed"'; }
wait_for "the plan completed" completed
closed() { curl -fsS $INTAKE/v1/cases/$CASE -H "Authorization: Bearer $SUPERVISOR" | grep -q '"status": *"closed"'; }
wait_for "the case closed" closed
curl -fsS $INTAKE/v1/cases/$CASE -H "Authorization: Bearer $SUPERVISOR" \
  | python3 -c "import json,sys; c=json.load(sys.stdin); print('case', c['id'], c['status'], c.get('closure_reason'), c.get('closed_at'))"
echo
echo "Case $CASE: plan completed through seven kinds of provider, one refusal and a revision on the way."
