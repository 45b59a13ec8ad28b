#!/usr/bin/env bash
# Polyarch's benchmarks against their baselines, measured in one run on this machine (issue 8):
#   P1 warm invocation vs `docker run --rm` and vs a direct HTTP call   P2 cold invocation vs `docker run --rm`
#   P3 registry round trips to resolve a platform                       P4 builder vs raw `docker buildx bake`
#   P5 re-delivered push (0 rebuilds); unchanged commit vs raw bake     P6 warm no-op invocations/s, c = 1..8
#   P7 index-push event → activation start                              P8 emulated vs native warm invocation
#   K1 Kubernetes placement on 5,000 simulated nodes                    P14 `manifest inspect` / `create` vs `imagetools`
#   A1 storing / loading a 10 MB artifact vs raw HttpClient PUT / GET
#   P9 activation store at 1,000,000 records (SQLite, PostgreSQL)       P10 1,000 index pushes in a minute → firings
#   P11 500 actions, warm pool capped by memory, vs one hot action
#   W1 the workflow engine's overhead per step vs invoking the same actions directly
#   P15 hello.py as a code action on polyarch/python:3.11, cold/warm, native/emulated, vs `docker run --rm`
# Sets up what it needs (scripts/host.sh up, Release builds, demo/echo and the no-op image pushed), runs each
# benchmark with warm-up and repetitions, and writes bench.json + bench.md (printed at the end) to
#   --out DIR   (default $POLYARCH_STATE_DIR/bench); raw results and logs under DIR/raw and DIR/logs.
#   --quick     the scale rows P9–P11 at a tenth of their size (100,000 records; 100 pushes in 6 s; 50 actions under 512 MiB), for CI-like runs.
#   --only ID[,ID…]  just these rows (e.g. --only P4,P5,P7; ids: P1–P11, P14, P15, K1, A1, W1), building and pushing only what
#               they need; bench.json/bench.md then hold just those rows (and bench.json's "only" lists them).
# Exit code: 0 when every benchmark ran (a missed target is a result, not a failure), 1 when one failed to run.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
export POLYARCH_STATE_DIR

OUT="$POLYARCH_STATE_DIR/bench"
QUICK=0
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || die "--out needs a directory" 2; OUT=$2; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --only) [ $# -ge 2 ] || die "--only needs benchmark ids, e.g. --only P4,P5,P7" 2; ONLY=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (usage: scripts/bench.sh [--out DIR] [--quick] [--only ID[,ID…]])" 2 ;;
  esac
done
# The rows each run measures (a run writes raw/NAME.json); --only keeps the runs that measure a row it names.
declare -A RUN_IDS=([invoker]="P1 P2 P6 P8" [registry]="P3" [builder]="P4 P5" [builder-service]="P4" [p7]="P7" [p15]="P15"
  [kubernetes]="K1" [p14]="P14" [artifacts]="A1" [workflows]="W1" [p9]="P9" [p10]="P10" [p11]="P11")
ALL_IDS="P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11 P14 P15 K1 A1 W1"
SELECTED=()
if [ -n "$ONLY" ]; then
  IFS=',' read -ra wanted_ids <<<"${ONLY^^}"
  for id in "${wanted_ids[@]}"; do
    id=${id// /}
    [[ -n "$id" && " $ALL_IDS " == *" $id "* ]] || die "unknown benchmark id '$id' in --only $ONLY (known: ${ALL_IDS// /, })" 2
    SELECTED+=("$id")
  done
fi
# wants NAME...: whether one of these runs measures a selected row (always, without --only).
wants() {
  [ -z "$ONLY" ] && return 0
  local name id
  for name in "$@"; do
    for id in ${RUN_IDS[$name]}; do [[ " ${SELECTED[*]} " == *" $id "* ]] && return 0; done
  done
  return 1
}
mkdir -p "$OUT/raw"
private_log_dir "$OUT/logs"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT"/raw/*.json
started=$(date -u +%Y-%m-%dT%H:%M:%SZ) started_s=$SECONDS
# The commit measured: read at the start (a commit made during the run must not be named in its results).
commit=$(git -C "$POLYARCH_ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

"$POLYARCH_ROOT/scripts/host.sh" up
if ! command -v jq >/dev/null 2>&1; then
  say "Installing jq (bench.json → bench.md)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends jq >>"$(private_log "$OUT/logs/apt.log")" 2>&1 \
    || die "installing jq failed (log: $OUT/logs/apt.log)" 3
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 TESTCONTAINERS_RYUK_DISABLED=true
cd "$POLYARCH_ROOT"

say "Building the benchmarks (Release)"
projects=()
wants invoker workflows p9 p10 p11 && projects+=(tests/Polyarch.Invoker.Benchmarks)
wants registry artifacts && projects+=(tests/Polyarch.Registry.Benchmarks)
wants kubernetes && projects+=(tests/Polyarch.Invoker.Kubernetes.Benchmarks)
wants builder builder-service p14 && projects+=(builder/Polyarch.Builder)
wants builder-service && projects+=(tests/Polyarch.Builder.Tests)
wants p7 p15 && projects+=(tests/Polyarch.Invoker.Tests)
for project in "${projects[@]}"; do
  dotnet build "$project" -c Release --nologo -v quiet -clp:ErrorsOnly >"$(private_log "$OUT/logs/build.log")" 2>&1 \
    || { cat "$OUT/logs/build.log" >&2; die "dotnet build -c Release $project failed" 1; }
done
release() { echo "$POLYARCH_ROOT/$1/bin/Release/net10.0/$2"; }
# The CLI rows (P4 one-shot, P5, P14) run polyarch-builder as users get it: published with ReadyToRun, as services.sh does.
if wants builder p14; then
  say "Publishing polyarch-builder (ReadyToRun) for the CLI rows"
  dotnet_publish_cli builder/Polyarch.Builder "$OUT/bin/builder" "$(private_log "$OUT/logs/publish-builder.log")" \
    || { cat "$OUT/logs/publish-builder.log" >&2; die "publishing polyarch-builder failed" 1; }
fi

# retry N COMMAND...: distribution 2.8 sometimes answers a push with a transient 500 (see container-host notes).
retry() {
  local n=$1 i; shift
  for ((i = 1; i <= n; i++)); do "$@" && return 0; warn "attempt $i of $n failed: $*"; sleep 2; done
  return 1
}
ECHO_IMAGE="$POLYARCH_REGISTRY/demo/echo:latest"
NOOP_IMAGE="$POLYARCH_REGISTRY/polyarch-bench/noop:latest"
if wants invoker workflows p14 p10 p11; then
  say "Images: $ECHO_IMAGE (3 platforms), $NOOP_IMAGE"
  REGISTRY="$POLYARCH_REGISTRY" retry 3 "$DOCKER" buildx bake --push --progress plain echo >"$(private_log "$OUT/logs/images.log")" 2>&1 \
    || { tail -20 "$OUT/logs/images.log" >&2; die "docker buildx bake --push echo failed" 1; }
  retry 3 "$DOCKER" buildx build --progress plain --platform linux/amd64 --push -t "$NOOP_IMAGE" \
    --build-arg "BASE_IMAGE=$POLYARCH_REGISTRY/polyarch/busybox:latest" tests/Polyarch.Invoker.Benchmarks/noop >>"$OUT/logs/images.log" 2>&1 \
    || { tail -20 "$OUT/logs/images.log" >&2; die "docker buildx build of the no-op image failed" 1; }
fi

failed=()
# run NAME DESCRIPTION COMMAND...: one benchmark, its output in logs/NAME.log (and on the terminal, only the
# lines matching $SHOW when it is set).
run() {
  local name=$1 what=$2; shift 2
  wants "$name" || return 0
  say "$what"
  local t0=$SECONDS
  if "$@" 2>&1 | tee "$(private_log "$OUT/logs/$name.log")" | { grep --line-buffered -E "${SHOW:-.}" || true; } | sed 's/^/    /'; then
    info "($((SECONDS - t0)) s)"
  else
    warn "$name failed; see $OUT/logs/$name.log"
    failed+=("$name")
  fi
}

run invoker "P1 P2 P6 P8: invoker warm/cold/throughput/emulated vs docker run and direct HTTP" \
  dotnet "$(release tests/Polyarch.Invoker.Benchmarks Polyarch.Invoker.Benchmarks.dll)" "$ECHO_IMAGE" \
    --warm 300 --cold 8 --seconds 4 --emulated 40 --throughput-image "$NOOP_IMAGE" --json "$OUT/raw/invoker.json"
run registry "P3: registry round trips to resolve a platform (cold / warm / pinned)" \
  dotnet "$(release tests/Polyarch.Registry.Benchmarks Polyarch.Registry.Benchmarks.dll)" --json "$OUT/raw/registry.json"
run builder "P4 P5: polyarch-builder vs raw docker buildx bake (3 platforms)" \
  env BUILDER="$OUT/bin/builder/polyarch-builder" RUNS=9 \
    bash tests/Polyarch.Builder.Tests/Benchmarks/builder-vs-bake.sh "$POLYARCH_REGISTRY" --json "$OUT/raw/builder.json"
SHOW='builder \(warm|raw docker|ratio|Passed|Failed|[Ee]rror' run builder-service "P4: polyarch-builder in one warm process (as \`serve\` runs builds) vs raw docker buildx bake" \
  env POLYARCH_BENCH_P4_JSON="$OUT/raw/builder-service.json" dotnet test tests/Polyarch.Builder.Tests -c Release --no-build --nologo \
    --filter "Category=Benchmark&FullyQualifiedName~BuilderOverheadBenchmark" --logger "console;verbosity=detailed"
SHOW='index push event|all: [0-9]|Passed|Failed|[Ee]rror' run p7 "P7: index-push event → activation start (15 pushes)" \
  env POLYARCH_BENCH_P7_JSON="$OUT/raw/p7.json" dotnet test tests/Polyarch.Invoker.Tests -c Release --no-build --nologo \
    --filter "Category=Benchmark&FullyQualifiedName~PushToActivationBenchmark" --logger "console;verbosity=detailed"
# P15 needs the Python runtime (built once, minutes under QEMU; a registry HEAD when it is there).
SHOW='cold .* warm|Passed|Failed|[Ee]rror' run p15 "P15: hello.py as a code action on polyarch/python:3.11, cold and warm, native and emulated, vs docker run --rm" \
  bash -c 'scripts/runtimes.sh ensure python && exec "$@"' p15 \
    env POLYARCH_BENCH_P15_JSON="$OUT/raw/p15.json" dotnet test tests/Polyarch.Invoker.Tests -c Release --no-build --nologo \
      --filter "Category=Benchmark&FullyQualifiedName~PythonCodeActionBenchmark" --logger "console;verbosity=detailed"
run kubernetes "K1: Kubernetes placement on 5,000 simulated nodes" \
  dotnet "$(release tests/Polyarch.Invoker.Kubernetes.Benchmarks Polyarch.Invoker.Kubernetes.Benchmarks.dll)" --json "$OUT/raw/kubernetes.json"
run p14 "P14: polyarch-builder manifest inspect / create vs docker buildx imagetools (whole processes, median of 5)" \
  env BUILDER="$OUT/bin/builder/polyarch-builder" RUNS=5 \
    bash tests/Polyarch.Builder.Tests/Benchmarks/manifest-vs-imagetools.sh "$ECHO_IMAGE" --json "$OUT/raw/p14.json"
run artifacts "A1: storing / loading a 10 MB OCI artifact vs raw HttpClient PUT / GET of the same bytes (median of 10)" \
  dotnet "$(release tests/Polyarch.Registry.Benchmarks Polyarch.Registry.Benchmarks.dll)" --artifacts --runs 10 --json "$OUT/raw/artifacts.json"
run workflows "W1: workflow engine overhead per step (5-step chain of warm examples/echo) vs invoking the same actions directly (20 runs)" \
  dotnet "$(release tests/Polyarch.Invoker.Benchmarks Polyarch.Invoker.Benchmarks.dll)" "$ECHO_IMAGE" --workflow --steps 5 --runs 20 --json "$OUT/raw/workflows.json"
# The scale rows (issue 18). --quick shrinks them tenfold; the rows say the sizes they ran at.
if [ "$QUICK" = 1 ]; then p9_records=100000 p10_pushes=100 p10_seconds=6 p11_actions=50 p11_invocations=300 p11_cap=512
else p9_records=1000000 p10_pushes=1000 p10_seconds=60 p11_actions=500 p11_invocations=1000 p11_cap=2048; fi
run p9 "P9: activation store at scale, $p9_records records in SQLite and PostgreSQL (baseline: the same at 10,000)" \
  dotnet "$(release tests/Polyarch.Invoker.Benchmarks Polyarch.Invoker.Benchmarks.dll)" --store sqlite,postgres --records "$p9_records" --baseline 10000 --json "$OUT/raw/p9.json"
run p10 "P10: $p10_pushes index pushes in $p10_seconds s (the registry's recorded notifications) against serve (baseline: single pushes)" \
  dotnet "$(release tests/Polyarch.Invoker.Benchmarks Polyarch.Invoker.Benchmarks.dll)" --push-burst --pushes "$p10_pushes" --seconds "$p10_seconds" \
    --registry "$POLYARCH_REGISTRY" --image "$NOOP_IMAGE" --json "$OUT/raw/p10.json"
run p11 "P11: $p11_actions actions, warm pool capped at $p11_cap MiB (baseline: one hot action)" \
  dotnet "$(release tests/Polyarch.Invoker.Benchmarks Polyarch.Invoker.Benchmarks.dll)" --many-actions --actions "$p11_actions" --invocations "$p11_invocations" \
    --concurrency 4 --memory 32 --memory-cap "$p11_cap" --image "$NOOP_IMAGE" --json "$OUT/raw/p11.json"
for name in invoker registry builder builder-service p7 p15 kubernetes p14 artifacts workflows p9 p10 p11; do
  wants "$name" || continue
  if [ ! -s "$OUT/raw/$name.json" ] && [[ " ${failed[*]} " != *" $name "* ]]; then
    warn "$name wrote no results"; failed+=("$name")
  fi
done

say "Results: $OUT/bench.json, $OUT/bench.md"
raw() { if [ -s "$OUT/raw/$1.json" ]; then cat "$OUT/raw/$1.json"; else echo null; fi; }
engine=$("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null || echo unknown)
buildx=$("$DOCKER" buildx version 2>/dev/null | awk '{print $2}' || echo unknown)
jq -n \
  --arg started "$started" --arg finished "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --argjson seconds "$((SECONDS - started_s))" \
  --arg commit "$commit" \
  --argjson cores "$(nproc)" --arg cpu "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)" \
  --arg kernel "$(uname -r)" --arg engine "$engine" --arg buildx "$buildx" --arg dotnet "$(dotnet --version)" \
  --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --argjson memMb "$(awk '/^MemTotal/ {print int($2/1024)}' /proc/meminfo)" \
  --argjson failed "$(printf '%s\n' "${failed[@]}" | jq -R . | jq -s 'map(select(length > 0))')" \
  --argjson invoker "$(raw invoker)" --argjson registry "$(raw registry)" --argjson builder "$(raw builder)" --argjson builderService "$(raw builder-service)" \
  --argjson p7 "$(raw p7)" --argjson p15 "$(raw p15)" --argjson kubernetes "$(raw kubernetes)" --argjson p14 "$(raw p14)" --argjson artifacts "$(raw artifacts)" \
  --argjson workflows "$(raw workflows)" --argjson p9 "$(raw p9)" --argjson p10 "$(raw p10)" --argjson p11 "$(raw p11)" \
  -f "$POLYARCH_ROOT/scripts/bench/aggregate.jq" >"$OUT/bench.json"
if [ -n "$ONLY" ]; then
  # Just the rows asked for (the other runs did not run: their rows would only say "not run").
  jq --argjson only "$(printf '%s\n' "${SELECTED[@]}" | jq -R . | jq -s .)" \
    '.only = $only | .rows |= map(select(.id as $id | $only | index($id)))' "$OUT/bench.json" >"$OUT/bench.json.tmp"
  mv "$OUT/bench.json.tmp" "$OUT/bench.json"
fi
jq -r -f "$POLYARCH_ROOT/scripts/bench/markdown.jq" "$OUT/bench.json" >"$OUT/bench.md"
echo
cat "$OUT/bench.md"
echo
if [ ${#failed[@]} -gt 0 ]; then
  die "benchmarks that did not run: ${failed[*]} (logs in $OUT/logs)" 1
fi
info "all benchmarks ran in $((SECONDS - started_s)) s"
