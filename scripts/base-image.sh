#!/usr/bin/env bash
# The multi-arch base image polyarch/busybox (linux/amd64, linux/arm64, linux/ppc64le) in the local
# registry, built FROM scratch out of Debian's busybox-static packages by the "busybox" bake target.
#
#   scripts/base-image.sh check    exit 0 when the registry holds the index with all three platforms
#   scripts/base-image.sh ensure   build and push it unless `check` passes (cheap when present)
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

IMAGE="$POLYARCH_REGISTRY/polyarch/busybox:latest"
BASE_DIR="$POLYARCH_STATE_DIR/base"
# Debian architecture → OCI architecture (Debian says ppc64el where OCI says ppc64le).
declare -A OCI_ARCH=([amd64]=amd64 [arm64]=arm64 [ppc64el]=ppc64le)

check() {
  local out platform
  out=$("$DOCKER" buildx imagetools inspect "$IMAGE" 2>/dev/null) || return 1
  for platform in ${POLYARCH_PLATFORMS//,/ }; do
    grep -q "Platform: *$platform\$" <<<"$out" || return 1
  done
}

fetch_busybox() {
  local deb arch missing=()
  for deb in "${!OCI_ARCH[@]}"; do
    [ -x "$BASE_DIR/context/${OCI_ARCH[$deb]}/busybox" ] || missing+=("$deb")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Fetching Debian's busybox-static for ${missing[*]}"
  local foreign; foreign=$(dpkg --print-foreign-architectures)
  for arch in arm64 ppc64el; do
    grep -qx "$arch" <<<"$foreign" || as_root dpkg --add-architecture "$arch"
  done
  mkdir -p "$BASE_DIR/debs"
  private_log_dir
  # Exit 100 here usually means one foreign index failed ("Mirror sync in progress"); what matters is
  # whether the packages can be downloaded, which is checked next.
  as_root apt-get update -qq >"$(private_log "$LOG_DIR/apt-update-base.log")" 2>&1 || warn "apt-get update reported errors (see $LOG_DIR/apt-update-base.log); continuing"
  for deb in "${missing[@]}"; do
    (cd "$BASE_DIR/debs" && apt-get download -qq "busybox-static:$deb" >>"$(private_log "$LOG_DIR/apt-download.log")" 2>&1) \
      || die "cannot download busybox-static:$deb ('apt-get download busybox-static:$deb', log: $LOG_DIR/apt-download.log); check the Debian package source and run again" 3
    local file; file=$(ls -t "$BASE_DIR/debs"/busybox-static_*_"$deb".deb | head -1)
    rm -rf "$BASE_DIR/extract-$deb"
    dpkg-deb -x "$file" "$BASE_DIR/extract-$deb"
    mkdir -p "$BASE_DIR/context/${OCI_ARCH[$deb]}"
    cp "$BASE_DIR/extract-$deb/bin/busybox" "$BASE_DIR/context/${OCI_ARCH[$deb]}/busybox"
    rm -rf "$BASE_DIR/extract-$deb"
    info "$(basename "$file") → context/${OCI_ARCH[$deb]}/busybox"
  done
}

ensure() {
  if check; then
    info "base image $IMAGE present ($POLYARCH_PLATFORMS)"
    return 0
  fi
  fetch_busybox
  say "Building $IMAGE for $POLYARCH_PLATFORMS"
  local attempt
  # distribution 2.8 sometimes answers the engine's second push of an index with HTTP 500
  # ("invalid checksum digest format"); a retry succeeds (see docs: flakiness seen).
  for attempt in 1 2 3; do
    if (cd "$POLYARCH_ROOT" && REGISTRY="$POLYARCH_REGISTRY" BUSYBOX_DIR="$BASE_DIR/context" \
        "$DOCKER" buildx bake --file "$POLYARCH_ROOT/docker-bake.hcl" --push --progress quiet busybox); then
      check && { info "pushed $IMAGE"; return 0; }
    fi
    warn "building the base image failed (attempt $attempt of 3); retrying"
    sleep 1
  done
  die "could not build and push $IMAGE; run 'docker buildx bake --file docker-bake.hcl --push busybox' with BUSYBOX_DIR=$BASE_DIR/context to see why" 1
}

case "${1:-ensure}" in
  check) check ;;
  ensure) ensure ;;
  *) die "unknown command '$1'; use: scripts/base-image.sh check | ensure" 2 ;;
esac
