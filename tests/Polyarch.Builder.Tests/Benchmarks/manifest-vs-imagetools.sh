#!/usr/bin/env bash
# Benchmark (numbers, no assertions; scripts/bench.sh runs it as P14): polyarch-builder's one-shot manifest verbs vs
# their peer, measured as whole processes in the same run, alternating, RUNS times each after one warm-up of each:
#   inspect: `polyarch-builder manifest inspect IMAGE`                 vs `docker buildx imagetools inspect IMAGE`
#   create:  `polyarch-builder manifest create TARGET SRC1 SRC2 SRC3`   vs `docker buildx imagetools create -t TARGET SRC…`
#            (the sources: IMAGE's three platform manifests by digest; targets in bench/p14, a repository no rule names)
#   and `polyarch-builder --version` alone (process start-up, no registry).          Target: ≤ 1.5× the peer (median).
#   The CLI execs polyarch-builder-manifest (the verbs compiled ahead of time) when it lies next to it ("native" in the
#   JSON); POLYARCH_BUILDER_NATIVE_MANIFEST=0 measures the in-process verbs instead.
# Usage: manifest-vs-imagetools.sh IMAGE [--json FILE]   (e.g. 127.0.0.1:5000/demo/echo:latest; RUNS=5)
#   BUILDER=path/to/polyarch-builder (an executable; default: a ReadyToRun publish into a temporary directory).
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
image="" json=""
while [ $# -gt 0 ]; do
  case "$1" in --json) json=$2; shift 2 ;; *) image=$1; shift ;; esac
done
[ -n "$image" ] || { echo "usage: manifest-vs-imagetools.sh IMAGE [--json FILE]" >&2; exit 2; }
work=$(mktemp -d /tmp/polyarch-p14-XXXXXX)
trap 'rm -rf "$work"' EXIT
docker=/usr/bin/docker
runs=${RUNS:-5}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'; }
if [ -z "${BUILDER:-}" ]; then
  # shellcheck source=../../../scripts/lib/common.sh
  . "$root/scripts/lib/common.sh"
  dotnet_publish_cli "$root/builder/Polyarch.Builder" "$work/bin" "$work/publish.log" || { cat "$work/publish.log" >&2; exit 1; }
  BUILDER="$work/bin/polyarch-builder"
fi

# The manifest verbs run as polyarch-builder-manifest (Native AOT, exec'd by the CLI) when it lies next to BUILDER.
native=false
[ -x "$(dirname "$BUILDER")/polyarch-builder-manifest" ] && [ "${POLYARCH_BUILDER_NATIVE_MANIFEST:-1}" != 0 ] && native=true

registry=${image%%/*}
repository=${image#*/}; repository=${repository%%[:@]*}
# The platform manifests of IMAGE, by digest: the three sources of `create`.
sources=()
while read -r digest; do sources+=("$registry/$repository@$digest"); done < <(
  "$docker" buildx imagetools inspect --raw "$image" \
    | jq -r '.manifests[] | select(.platform.os != "unknown" and (.annotations["vnd.docker.reference.type"] // "") == "") | .digest' | head -3)
[ "${#sources[@]}" -eq 3 ] || { echo "$image has ${#sources[@]} platform manifests, 3 needed" >&2; exit 1; }

# time_of COMMAND...: seconds of one whole process (its output discarded; a failure stops the benchmark).
time_of() {
  local t0 t1
  t0=$(now); "$@" >"$work/out.log" 2>&1 || { cat "$work/out.log" >&2; return 1; }; t1=$(now)
  elapsed "$t0" "$t1"
}
polyarch_inspect() { "$BUILDER" manifest inspect "$image"; }
peer_inspect() { "$docker" buildx imagetools inspect "$image"; }
polyarch_create() { "$BUILDER" manifest create "$registry/bench/p14:polyarch-$1" "${sources[@]}"; }
peer_create() { "$docker" buildx imagetools create -t "$registry/bench/p14:imagetools-$1" "${sources[@]}"; }

# One warm-up of each (page cache, the registry's first mount into bench/p14), then alternate.
for step in polyarch_inspect peer_inspect "polyarch_create 0" "peer_create 0"; do time_of $step >/dev/null; done
version=(); pi=(); ii=(); pc=(); ic=()
for ((i = 1; i <= runs; i++)); do
  version+=("$(time_of "$BUILDER" --version)")
  pi+=("$(time_of polyarch_inspect)"); ii+=("$(time_of peer_inspect)")
  pc+=("$(time_of polyarch_create "$i")"); ic+=("$(time_of peer_create "$i")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "polyarch-builder --version:                ${version[*]}"
echo "polyarch-builder manifest inspect:         ${pi[*]}  (median $(median "${pi[@]}"))"
echo "docker buildx imagetools inspect:          ${ii[*]}  (median $(median "${ii[@]}"))"
echo "polyarch-builder manifest create (3 srcs): ${pc[*]}  (median $(median "${pc[@]}"))"
echo "docker buildx imagetools create (3 srcs):  ${ic[*]}  (median $(median "${ic[@]}"))"
echo "manifest verbs native (polyarch-builder-manifest, AOT): $native"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$json" ]; then
  arr() { printf '%s\n' "$@" | paste -sd, - | sed 's/^/[/; s/$/]/'; }
  cat >"$json" <<JSON
{"unit":"s","image":"$image","runs":$runs,"native":$native,"sources":$(printf '"%s"\n' "${sources[@]}" | paste -sd, - | sed 's/^/[/; s/$/]/'),
 "version":$(arr "${version[@]}"),
 "inspect":{"polyarch":$(arr "${pi[@]}"),"imagetools":$(arr "${ii[@]}")},
 "create":{"polyarch":$(arr "${pc[@]}"),"imagetools":$(arr "${ic[@]}")}}
JSON
fi
