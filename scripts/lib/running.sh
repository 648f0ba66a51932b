# Sourced by the walkthroughs: stop at once, saying what to do, when a service
# they call is not answering (rather than a bare curl error halfway through).
#   need_running <name> <base url> [<name> <base url>]...
need_running() {
  while (($# >= 2)); do
    if ! curl -fsS -o /dev/null --max-time 5 "$2/readyz" 2>/dev/null; then
      echo "$1 is not ready at $2: start the services first (make run), or set" \
        "INSON_$(tr '[:lower:]' '[:upper:]' <<<"$1")_URL to where it runs" >&2
      exit 1
    fi
    shift 2
  done
}
