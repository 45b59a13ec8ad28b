#!/usr/bin/env bash
# Sets up the container host (scripts/host.sh up) and runs every test of Build.sln.
#   ./scripts/test.sh                       all tests (unit + integration against the real host)
#   ./scripts/test.sh --filter Category!=Integration   extra arguments go to `dotnet test`
# Results (TRX) land in $POLYARCH_TEST_RESULTS (default: TestResults/ in the checkout).
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

"$POLYARCH_ROOT/scripts/host.sh" up
# Polyarch's own images (ServiceImageTests, AffinityFromIndexTests): built here, outside any test's hang timeout —
# the first build on a new machine takes minutes (two Debian roots, arm64 under QEMU); afterwards it is a registry HEAD.
"$POLYARCH_ROOT/scripts/images.sh" ensure
# The runtimes of code actions (polyarch/python:3.11 for amd64, arm64, ppc64le; Polyarch.Runtimes.Tests): the same
# rule — minutes the first time (three Debian roots, two under QEMU), a registry HEAD afterwards.
"$POLYARCH_ROOT/scripts/runtimes.sh" ensure

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Testcontainers' reaper image cannot be pulled here; tests clean up by label themselves.
export TESTCONTAINERS_RYUK_DISABLED=true
results="${POLYARCH_TEST_RESULTS:-$POLYARCH_ROOT/TestResults}"
rm -rf "$results"

cd "$POLYARCH_ROOT"
say "Building Build.sln"
dotnet build Build.sln --nologo -v quiet -clp:ErrorsOnly
say "Running the tests (results: $results)"
# One test assembly at a time (-m:1): integration tests share one engine on a 2-core machine.
# Benchmarks (Category=Benchmark) measure time and belong to scripts/bench.sh, never to the tests: they are
# excluded here, also when the caller passes a --filter of their own.
args=() filtered=0
while [ $# -gt 0 ]; do
  if [ "$1" = --filter ] && [ $# -ge 2 ]; then args+=(--filter "($2)&Category!=Benchmark"); filtered=1; shift 2
  else args+=("$1"); shift; fi
done
[ $filtered -eq 1 ] || args+=(--filter "Category!=Benchmark")
# A test that hangs for 5 minutes is a failure with its name in the results, not a stuck CI run.
dotnet test Build.sln --no-build --nologo -m:1 \
  --blame-hang-timeout 5m --blame-hang-dump-type none \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "${args[@]}"
