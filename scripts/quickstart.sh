#!/usr/bin/env bash
# Polyarch quickstart: bring up the container host, build examples/echo for linux/amd64, linux/arm64 and
# linux/ppc64le into one OCI index in the local registry, then run each variant and print its answer.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

"$POLYARCH_ROOT/scripts/host.sh" up

image="$POLYARCH_REGISTRY/demo/echo:latest"
say "Building examples/echo for $POLYARCH_PLATFORMS → $image"
cd "$POLYARCH_ROOT"
for attempt in 1 2 3; do
  # distribution 2.8 sometimes answers the engine's second push of an index with HTTP 500; retry.
  REGISTRY="$POLYARCH_REGISTRY" "$DOCKER" buildx bake --file docker-bake.hcl --push --progress quiet echo && break
  [ $attempt -lt 3 ] || die "building examples/echo failed 3 times; run 'docker buildx bake --push echo' to see why" 1
  warn "build failed (attempt $attempt of 3); retrying"
done
# One OCI index: the three image variants plus buildx's attestation entries (platform unknown/unknown).
"$DOCKER" buildx imagetools inspect "$image" \
  | awk '/^Digest:/ && !index_done {print "    index   " $2; index_done=1}
         /Platform:/ && $2 != "unknown/unknown" {print "    variant " $2}'

say "Running each variant"
for platform in ${POLYARCH_PLATFORMS//,/ }; do
  answer=$("$DOCKER" run --rm --pull always --quiet --network none --platform "$platform" "$image" \
    "{\"hello\":\"polyarch\",\"platform\":\"$platform\"}" | tail -n 1)
  printf '    %-15s %s\n' "$platform" "$answer"
done
