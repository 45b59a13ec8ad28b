# shellcheck shell=bash
# trx_summary DIR STATUS: what .ci/run prints after the tests, from the TRX files in DIR (one per test project) and the
# test command's exit STATUS — each project's duration, the tests that did not pass (each with the start of its
# message, its lines joined by " | ": the end of a log alone names them) and, as the last line, one summary
# "N passed, N failed[, N skipped]". A non-zero STATUS with no failed test (the build or the host set-up failed before
# any test ran) counts as one failure, never as green. Sourced, never run.

# trx_ms TIMESTAMP: milliseconds since the epoch of a TRX time (2026-11-30T12:00:00.1234567+00:00).
trx_ms() { date -d "$1" +%s%3N 2>/dev/null || echo 0; }

trx_summary() {
  local results=$1 status=$2 passed=0 failed=0 skipped=0 trx project times start finish duration counters line
  local -a files=()
  for trx in "$results"/*.trx; do [ -e "$trx" ] && files+=("$trx"); done
  for trx in ${files[@]+"${files[@]}"}; do
    # One TRX per test project: its assembly (the first test's codeBase) and its run's start and finish.
    project=$(grep -o 'codeBase="[^"]*"' "$trx" | head -1 | sed 's/codeBase="//; s/"$//; s#.*/##; s/\.dll$//')
    times=$(grep -o '<Times [^>]*>' "$trx" | head -1)
    start=$(sed -n 's/.* start="\([^"]*\)".*/\1/p' <<<"$times")
    finish=$(sed -n 's/.* finish="\([^"]*\)".*/\1/p' <<<"$times")
    if [ -n "$project" ] && [ -n "$start" ] && [ -n "$finish" ]; then
      duration=$(( $(trx_ms "$finish") - $(trx_ms "$start") ))
      printf '%-45s %6d.%01d s\n' "$project" $((duration / 1000)) $((duration % 1000 / 100))
    fi
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    passed=$((passed + $(trx_counter passed "$counters")))
    failed=$((failed + $(trx_counter failed "$counters") + $(trx_counter error "$counters") \
      + $(trx_counter timeout "$counters") + $(trx_counter aborted "$counters")))
    # Skipped tests are results with outcome NotExecuted; the Counters element leaves notExecuted at 0 for them.
    skipped=$((skipped + $(grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" | wc -l)))
  done
  for trx in ${files[@]+"${files[@]}"}; do trx_failures "$trx"; done
  if [ "$status" -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
  line="$passed passed, $failed failed"
  [ $skipped -eq 0 ] || line="$line, $skipped skipped"
  echo "$line"
}

# trx_counter NAME COUNTERS: the number NAME="…" in a TRX <Counters …> element, 0 when it has none.
trx_counter() {
  local value; value=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2")
  echo "${value:-0}"
}

# trx_failures TRX: one line per result that did not pass: "OUTCOME TEST: MESSAGE" (MESSAGE cut at 600 characters).
trx_failures() {
  awk '
    function unescape(s) {
      gsub(/&#xD;|&#xA;|\r/, " ", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
      gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s); return s
    }
    /<UnitTestResult / && /outcome="(Failed|Error|Timeout|Aborted)"/ {
      match($0, /testName="[^"]*"/); name = unescape(substr($0, RSTART + 10, RLENGTH - 11))
      match($0, /outcome="[^"]*"/); outcome = substr($0, RSTART + 9, RLENGTH - 10)
      open = 1; printed = 0; next
    }
    open && /<Message>/ && !printed { inmessage = 1; message = ""; sub(/.*<Message>/, "") }
    inmessage {
      line = $0; done = sub(/<\/Message>.*/, "", line)
      message = message (message == "" ? "" : " | ") line
      if (done) { printf "%s %s: %s\n", outcome, name, substr(unescape(message), 1, 600); printed = 1; inmessage = 0 }
      next
    }
    open && /<\/UnitTestResult>/ { if (!printed) printf "%s %s\n", outcome, name; open = 0 }
  ' "$1"
}
