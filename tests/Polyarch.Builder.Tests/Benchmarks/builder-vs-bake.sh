#!/usr/bin/env bash
# Benchmark (one run, numbers for the closing note, no assertions):
#   1. polyarch-builder build of a new commit (warm cache) vs raw `docker buildx bake --push` of the same
#      checkout with the same cache refs and outputs — target: builder ≤ 1.10 × raw;
#   2. the same push delivered again → 0 rebuilds;
#   3. a rebuild of an unchanged commit from a fresh builder state with a warm registry cache.
# Usage: tests/Polyarch.Builder.Tests/Benchmarks/builder-vs-bake.sh [REGISTRY]   (default 127.0.0.1:5000)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
registry=${1:-127.0.0.1:5000}
repo_name=bench/echo-$$
work=$(mktemp -d /tmp/polyarch-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
docker=/usr/bin/docker
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

dotnet build "$root/builder/Polyarch.Builder" -v q -nologo >/dev/null
builder=("dotnet" "$root/builder/Polyarch.Builder/bin/Debug/net10.0/polyarch-builder.dll")

mkdir -p "$work/repo" && cp -r "$root/examples/echo/." "$work/repo/"
git -C "$work/repo" init -q -b main
git -C "$work/repo" -c user.email=b@b -c user.name=bench add -A
git -C "$work/repo" -c user.email=b@b -c user.name=bench commit -qm A
export POLYARCH_STATE_DIR="$work/state"

t0=$(now); "${builder[@]}" build "$work/repo" --registry "$registry" --repository "$repo_name" >/dev/null 2>&1; t1=$(now)
echo "cold build (first commit):                $(elapsed "$t0" "$t1") s"

# The machine is shared and noisy: alternate builder and raw runs (one new commit each) and take medians.
runs=${RUNS:-3}
builder_times=(); raw_times=()
ref="$registry/$repo_name"
for ((i = 1; i <= runs; i++)); do
  echo "bench $i" > "$work/repo/README"   # outside the image's COPY: every layer stays cached
  git -C "$work/repo" add -A && git -C "$work/repo" -c user.email=b@b -c user.name=bench commit -qm "B$i"
  t0=$(now); "${builder[@]}" build "$work/repo" --registry "$registry" --repository "$repo_name" >/dev/null 2>&1; t1=$(now)
  builder_times+=("$(elapsed "$t0" "$t1")")

  rm -rf "$work/raw" && mkdir -p "$work/raw" && git -C "$work/repo" archive HEAD | tar -x -C "$work/raw"
  printf '{"target":{"default":{"context":"%s","dockerfile":"Dockerfile"}}}' "$work/raw" > "$work/raw.bake.json"
  t0=$(now)
  "$docker" buildx bake --file "$work/raw.bake.json" --push --metadata-file "$work/raw.meta.json" --progress rawjson \
    --set default.platform=linux/amd64 --set default.platform=linux/arm64 --set default.platform=linux/ppc64le \
    --set "default.tags=$ref:raw-bench-$i" \
    --set "default.labels.org.opencontainers.image.revision=raw-$i" \
    --set "default.output=type=image,push=true,\"annotation-index.org.opencontainers.image.revision=raw-$i\"" \
    --set "default.cache-from=type=registry,ref=$ref:buildcache" \
    --set "default.cache-to=type=registry,ref=$ref:buildcache,mode=max" -- default 2>/dev/null
  t1=$(now)
  raw_times+=("$(elapsed "$t0" "$t1")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
builder_s=$(median "${builder_times[@]}"); raw_s=$(median "${raw_times[@]}")
echo "builder, new commit, warm cache (runs):   ${builder_times[*]}"
echo "raw docker buildx bake, same checkout:    ${raw_times[*]}"
echo "medians builder / raw:                    $builder_s / $raw_s = $(echo "scale=2; $builder_s / $raw_s" | bc)"

t0=$(now); out=$("${builder[@]}" build "$work/repo" --registry "$registry" --repository "$repo_name" 2>/dev/null); t1=$(now)
echo "re-delivered push (same commit):          $(elapsed "$t0" "$t1") s — $(echo "$out" | head -1)"

export POLYARCH_STATE_DIR="$work/state2"
t0=$(now); "${builder[@]}" build "$work/repo" --registry "$registry" --repository "$repo_name" >/dev/null 2>&1; t1=$(now)
echo "rebuild of unchanged commit, fresh state: $(elapsed "$t0" "$t1") s"
