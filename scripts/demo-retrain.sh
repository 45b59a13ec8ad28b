#!/usr/bin/env bash
# The seed's flow (issue 14): a dataset push → retrain → test on every architecture → promote. Each run pushes the
# next batch of scikit-learn's digits set as an OCI artifact; a rule starts workflow `retrain`, which trains where it
# is native, tests the model on linux/amd64, linux/arm64 and linux/ppc64le, and tags it :production only if every
# architecture reaches the threshold and all predict the same labels. Ends with one table.
#
#   scripts/demo-retrain.sh [--threshold X] [--timeout SECONDS]   push the next batch, wait for the run, print the table
#   scripts/demo-retrain.sh --table RUN.json                       print the table of a recorded run (`-` = stdin)
#   scripts/demo-retrain.sh --make-batches [DIR]                   only make the batches (default $POLYARCH_STATE_DIR/retrain)
#   scripts/demo-retrain.sh --help
#
# Idempotent: the host, the runtime image, the services, the batches, the actions, the workflow and the rule are
# made once and kept; each run pushes one batch more (datasets/digits:batches-K holds batch-1.csv … batch-K.csv; the
# earlier batches' blobs are already in the registry, so re-pushing them costs a HEAD each). Once all 6 are pushed,
# a run pushes nothing and shows the latest run's table again.
#   1. scripts/host.sh up, scripts/runtimes.sh ensure (polyarch/python:3.11), scripts/services.sh up
#   2. the batches: examples/retrain/make_batches.py run natively in the runtime image → $POLYARCH_STATE_DIR/retrain/
#   3. actions retrain-train (train.py), retrain-test (test.ipynb), retrain-decide (decide.py) on the runtime image,
#      workflow retrain (examples/retrain/workflow.yaml) and the rule retrain-digits: an artifact push of type
#      application/vnd.polyarch.dataset.v1 to datasets/digits starts workflow retrain
#   4. polyarch-invoker artifacts push …/datasets/digits:batches-K batch-1.csv … batch-K.csv --type …dataset.v1
#   5. the run the push started: polyarch-invoker workflows runs list|get --output json, until it ends
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
export POLYARCH_STATE_DIR

DATASET_TYPE=application/vnd.polyarch.dataset.v1
DATASET_REPOSITORY=datasets/digits
BATCHES=6
WORKFLOW=retrain
RULE=retrain-digits
EXAMPLES="$POLYARCH_ROOT/examples/retrain"

usage() { sed -n '7,10p' "$0" | sed 's/^# \{0,1\}//'; }

# render_table FILE: the demo's table from a run record (`workflows runs get RUN --output json`; invoker/README.md
# "Workflows"): one row per architecture the test step ran on — accuracy, whether its predictions agree with the
# others', the test's duration, the model's digest (step train's artifact) and whether the model was promoted — then
# the decision's reason. Exit 0 when the run succeeded, 1 otherwise (its reason on stderr).
render_table() {
  local file=$1 json
  if [ "$file" = - ]; then json=$(cat); else
    [ -r "$file" ] || die "cannot read the run record '$file'; pass a file written by 'polyarch-invoker workflows runs get RUN --output json' (or - for stdin)" 2
    json=$(cat "$file")
  fi
  jq -e 'type == "object" and has("status") and has("steps")' >/dev/null 2>&1 <<<"$json" \
    || die "'$file' is not a workflow run record (a JSON object with status and steps); pass the output of 'polyarch-invoker workflows runs get RUN --output json'" 2
  jq -r '
    def step($n): (.steps // [] | map(select(.name == $n)) | first) // {};
    def short: if . == null or . == "" then "-" else .[0:19] end;
    def secs: if . == null then "-" else "\(. / 1000 * 10 | round / 10) s" end;
    (step("train").runs // [] | last) as $train
    | (step("decide").runs // [] | last | .result) as $decision
    | (step("promote").status) as $promote
    | (step("test").runs // []) as $tests
    | ($tests | map(.result.checksum // empty)) as $sums
    | (if $promote == "succeeded" then "yes" elif $promote == null then "-" else "no" end) as $promoted
    | "run \(.id) (\(.workflow)): \(.status)"
      + (if .trigger.digest then ", dataset \(.trigger.repository // "")@\(.trigger.digest | short)" else "" end),
      (if $train then "train on \($train.platform // "?"): \($train.result.samples // "?") samples, \($train.result.trainSeconds // "?") s fit, model \($train.artifact.reference // "(no artifact)")" else empty end),
      "",
      (["ARCHITECTURE", "ACCURACY", "AGREE", "DURATION", "MODEL DIGEST", "PROMOTED"] | @tsv),
      ($tests | sort_by(.platform)[] |
        .result.checksum as $c
        | [ .platform,
            (.result.accuracy // .status // "-" | tostring),
            # A row agrees when more than half of the architectures predicted exactly its labels (all of them: all agree).
            (if $c == null or ($sums | length) < 2 then "-" elif ([$sums[] | select(. == $c)] | length) * 2 > ($sums | length) then "yes" else "no" end),
            (.durationMs | secs),
            ($train.artifact.digest | short),
            $promoted ] | @tsv),
      "",
      (if $decision.reason then "decision: \($decision.reason)" else empty end)
  ' <<<"$json" | awk -F'\t' 'NF == 6 { printf "    %-14s %-9s %-6s %9s  %-20s %s\n", $1, $2, $3, $4, $5, $6; next } { print ($0 == "" ? "" : "    " $0) }'
  local status; status=$(jq -r .status <<<"$json")
  [ "$status" = succeeded ] || { printf 'error: run %s %s: %s\n' "$(jq -r .id <<<"$json")" "$status" "$(jq -r '.reason // "no reason recorded"' <<<"$json")" >&2; return 1; }
}

# make_batches DIR RUNTIME: batch-1.csv … batch-6.csv in DIR, made by examples/retrain/make_batches.py in the runtime
# image on this machine's own platform (scikit-learn ships the digits set: nothing to download, no network). Once.
make_batches() {
  local dir=$1 runtime=$2 native
  if [ -s "$dir/batch-$BATCHES.csv" ]; then info "batches present in $dir"; return 0; fi
  case "$(uname -m)" in x86_64) native=linux/amd64 ;; aarch64|arm64) native=linux/arm64 ;; ppc64le) native=linux/ppc64le ;; *) native="linux/$(uname -m)" ;; esac
  say "Batches: the digits set scikit-learn ships, without the held-out quarter, in $BATCHES batches → $dir"
  mkdir -p "$dir"
  "$DOCKER" run --rm --platform "$native" --network none --user "$(id -u):$(id -g)" --entrypoint python3 \
    -l io.polyarch.demo=retrain -v "$EXAMPLES:/retrain:ro" -v "$dir:/out" "$runtime" /retrain/make_batches.py /out "$BATCHES" \
    | sed 's/^/    /' || die "making the batches in $runtime failed (see above)" 1
  [ -s "$dir/batch-$BATCHES.csv" ] || die "make_batches.py wrote no $dir/batch-$BATCHES.csv" 1
}

threshold=0.9 timeout=1200 table="" batches_only=0 data_dir="$POLYARCH_STATE_DIR/retrain"
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --make-batches)
      batches_only=1; shift
      if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then data_dir=$1; shift; fi ;;
    --table) [ $# -ge 2 ] || die "--table needs a file: the output of 'polyarch-invoker workflows runs get RUN --output json' (- for stdin)" 2; table=$2; shift 2 ;;
    --threshold)
      [ $# -ge 2 ] && [[ $2 =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || die "--threshold needs an accuracy between 0 and 1, e.g. --threshold 0.9 (got '${2:-}')" 2
      threshold=$2; shift 2 ;;
    --timeout)
      [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]*$ ]] || die "--timeout needs a number of seconds, e.g. --timeout 1200 (got '${2:-}')" 2
      timeout=$2; shift 2 ;;
    *) die "unknown argument '$1' (usage: scripts/demo-retrain.sh [--threshold X] [--timeout SECONDS] | --table RUN.json | --make-batches [DIR] | --help)" 2 ;;
  esac
done
command -v jq >/dev/null || die "jq is missing; install it (apt-get install jq)" 3
if [ -n "$table" ]; then render_table "$table"; exit $?; fi
if [ $batches_only -eq 1 ]; then
  "$POLYARCH_ROOT/scripts/runtimes.sh" check python \
    || die "the Python runtime $("$POLYARCH_ROOT/scripts/runtimes.sh" tag python) is not in the registry; build it with scripts/runtimes.sh ensure" 3
  make_batches "$data_dir" "$("$POLYARCH_ROOT/scripts/runtimes.sh" tag python)"
  exit 0
fi

"$POLYARCH_ROOT/scripts/host.sh" up
"$POLYARCH_ROOT/scripts/runtimes.sh" ensure python
"$POLYARCH_ROOT/scripts/services.sh" up
# The pinned runtime (polyarch/python:3.11-<inputs>): :3.11 names the same index, but the pinned tag keeps the demo on
# the proxy these actions were written for (files in the /run payload) even if :3.11 is moved.
RUNTIME=$("$POLYARCH_ROOT/scripts/runtimes.sh" tag python)
CLI="$POLYARCH_STATE_DIR/bin/invoker/polyarch-invoker"
[ -x "$CLI" ] || die "$CLI is missing; scripts/services.sh up publishes it" 3
cli() { "$CLI" "$@"; }

DATA=$data_dir
make_batches "$DATA" "$RUNTIME"

say "Actions retrain-train, retrain-test, retrain-decide on $RUNTIME; workflow $WORKFLOW; rule $RULE"
cli actions create retrain-train --image "$RUNTIME" --code "$EXAMPLES/train.py" --memory 1024 --timeout 300000 >/dev/null
cli actions create retrain-test --image "$RUNTIME" --code "$EXAMPLES/test.ipynb" --memory 1024 --timeout 300000 >/dev/null
cli actions create retrain-decide --image "$RUNTIME" --code "$EXAMPLES/decide.py" --memory 256 >/dev/null
if ! cli workflows create "$WORKFLOW" --file "$EXAMPLES/workflow.yaml" >/dev/null 2>"$RUN_DIR/demo-retrain.err"; then
  # Replace an older definition (the file changed); anything else is the CLI's message.
  cli workflows get "$WORKFLOW" >/dev/null 2>&1 && cli workflows delete "$WORKFLOW" >/dev/null \
    && cli workflows create "$WORKFLOW" --file "$EXAMPLES/workflow.yaml" >/dev/null \
    || die "could not create workflow $WORKFLOW from $EXAMPLES/workflow.yaml: $(cat "$RUN_DIR/demo-retrain.err")" 1
fi
cli rules create "$RULE" --repository "$DATASET_REPOSITORY" --workflow "$WORKFLOW" --artifact-type "$DATASET_TYPE" \
  -p "threshold=$threshold" >/dev/null

# The next batch: one more than the highest datasets/digits:batches-K the registry holds.
pushed=$(curl -fsS --max-time 10 "http://$POLYARCH_REGISTRY/v2/$DATASET_REPOSITORY/tags/list" 2>/dev/null \
  | jq -r '[.tags // [] | .[] | capture("^batches-(?<k>[0-9]+)$").k | tonumber] | max // 0' || echo 0)
next=$((pushed + 1))
manifest_digest() {
  curl -fsS --max-time 10 -I -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$POLYARCH_REGISTRY/v2/$DATASET_REPOSITORY/manifests/$1" 2>/dev/null \
    | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }' || true
}
if [ "$next" -gt "$BATCHES" ]; then
  say "All $BATCHES batches are in $POLYARCH_REGISTRY/$DATASET_REPOSITORY: nothing new to push; the latest run follows"
  digest=$(manifest_digest "batches-$BATCHES")
else
  files=()
  for k in $(seq 1 "$next"); do files+=("$DATA/batch-$k.csv"); done
  ref="$POLYARCH_REGISTRY/$DATASET_REPOSITORY:batches-$next"
  say "Pushing $ref (batch-1.csv … batch-$next.csv, $(cat "${files[@]}" | wc -l) lines) as $DATASET_TYPE"
  cli artifacts push "$ref" "${files[@]}" --type "$DATASET_TYPE" | sed 's/^/    /' \
    || die "could not push $ref (the CLI's error is above); is the registry at $POLYARCH_REGISTRY up (scripts/host.sh status)?" 1
  digest=$(manifest_digest "batches-$next")
fi
[ -n "$digest" ] || die "the registry at $POLYARCH_REGISTRY does not know $DATASET_REPOSITORY:batches-$next after the push" 1
info "dataset $DATASET_REPOSITORY@$digest"

say "Waiting for the run of workflow $WORKFLOW on $digest (rule $RULE; up to $timeout s)"
run="" deadline=$((SECONDS + timeout)) record=""
while [ $SECONDS -lt $deadline ]; do
  if [ -z "$run" ]; then
    run=$(cli workflows runs list --workflow "$WORKFLOW" --output json 2>/dev/null \
      | jq -r --arg d "$digest" '(if type == "array" then . else (.runs // .items // []) end)
          | map(select(.trigger.digest == $d)) | sort_by(.startedAt) | last | .id // empty' || true)
  fi
  if [ -n "$run" ]; then
    record=$(cli workflows runs get "$run" --output json 2>/dev/null || true)
    case "$(jq -r '.status // empty' <<<"$record" 2>/dev/null)" in succeeded|failed|cancelled) break ;; esac
  fi
  sleep 2
done
[ -n "$run" ] || die "no run of workflow $WORKFLOW started for $digest within $timeout s; see $LOG_DIR/invoker.log and 'polyarch-invoker rules list'" 1
case "$(jq -r '.status // empty' <<<"$record")" in
  succeeded|failed|cancelled) ;;
  *) die "run $run did not end within $timeout s (status $(jq -r '.status // "unknown"' <<<"$record")); follow it with 'polyarch-invoker workflows runs get $run'" 1 ;;
esac
(umask 077 && printf '%s\n' "$record" >"$DATA/run-$run.json")

say "Workflow $WORKFLOW, run $run"
rc=0
render_table - <<<"$record" || rc=$?
info ""
info "model artifacts: $(jq -r '[.steps[] | select(.name == "train") | .runs[]?.artifact.reference // empty] | first // "-"' <<<"$record")"
# The step artifacts live in the workflow's results repository and name the dataset as their subject there.
results_repo=$(jq -r '.results // empty' <<<"$record"); results_repo=${results_repo:-$POLYARCH_REGISTRY/workflows/$WORKFLOW}
info "lineage:         polyarch-invoker artifacts referrers $results_repo@$digest   (what was derived from this dataset)"
[ "$(jq -r '.steps[] | select(.name == "promote") | .status' <<<"$record")" != succeeded ] \
  || info "production:      $results_repo:production → $(jq -r '[.steps[] | select(.name == "train") | .runs[]?.artifact.digest // empty] | first // "-"' <<<"$record")"
info "the record:      $DATA/run-$run.json   (polyarch-invoker workflows runs get $run)"
info "Run this script again to push the next batch ($((next < BATCHES ? next + 1 : BATCHES)) of $BATCHES)."
exit $rc
