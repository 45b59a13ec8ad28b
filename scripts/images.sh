#!/usr/bin/env bash
# Polyarch's own images, polyarch/invoker and polyarch/builder (linux/amd64 + linux/arm64, one OCI index each),
# built by the "invoker" / "builder" targets of docker-bake.hcl and pushed to the local registry.
#
#   scripts/images.sh check   [invoker|builder|all]   exit 0 when the registry holds the current images
#   scripts/images.sh ensure  [invoker|builder|all]   build and push what `check` does not find (default: all)
#   scripts/images.sh rebuild [invoker|builder|all]   build and push even when present (a dirty work tree)
#   scripts/images.sh tag NAME                        prints the image reference `ensure` produces
#
# The tag is a hash of the inputs — the git trees of the service, registry/ and the build files, and the root's
# package list — so an unchanged source tree is never rebuilt: the first `ensure` takes minutes (two Debian roots,
# two self-contained publishes, arm64 under QEMU), every later one a registry HEAD. Each build also moves :latest.
# No ppc64le: Microsoft serves no .NET runtime pack for linux-ppc64le.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ARCHS=(amd64 arm64)
declare -A DOTNET_RID=([amd64]=linux-x64 [arm64]=linux-arm64)
declare -A PROJECT=([invoker]=invoker/Polyarch.Invoker [builder]=builder/Polyarch.Builder)

# What the self-contained .NET service needs from Debian (ICU is left out: the services run invariant).
DOTNET_PACKAGES=(ca-certificates libc6 libgcc-s1 libstdc++6 libssl3 zlib1g tzdata)
# The builder drives an engine: docker CLI and buildx (Debian 13's, as on the host) and git.
BUILDER_PACKAGES=("${DOTNET_PACKAGES[@]}" git docker-cli/trixie docker-buildx/trixie)

packages_of() {
  case "$1" in
    invoker) printf '%s\n' "${DOTNET_PACKAGES[@]}" ;;
    builder) printf '%s\n' "${BUILDER_PACKAGES[@]}" ;;
  esac
}

# input_hash NAME: the tag — git tree ids of everything the image is made of, plus the root's package list.
input_hash() {
  local name=$1
  {
    (cd "$POLYARCH_ROOT" && git rev-parse "HEAD:$name" HEAD:registry HEAD:docker-bake.hcl HEAD:Directory.Build.props \
      HEAD:Directory.Packages.props HEAD:global.json HEAD:scripts/images.sh HEAD:scripts/rootfs.sh)
    packages_of "$name" | sort
  } | sha256sum | cut -c1-12
}

image_ref() { printf '%s/polyarch/%s:%s\n' "$POLYARCH_REGISTRY" "$1" "$(input_hash "$1")"; }

check_one() {
  local out arch
  out=$("$DOCKER" buildx imagetools inspect "$(image_ref "$1")" 2>/dev/null) || return 1
  for arch in "${ARCHS[@]}"; do
    grep -q "Platform: *linux/$arch\$" <<<"$out" || return 1
  done
}

build_one() {
  local name=$1 work="$POLYARCH_STATE_DIR/images/$1" arch tar
  local -a packages; mapfile -t packages < <(packages_of "$name")
  say "Building $(image_ref "$name") for linux/${ARCHS[0]},linux/${ARCHS[1]}"
  rm -rf "$work" && mkdir -p "$work/rootfs" "$work/app/state"
  for arch in "${ARCHS[@]}"; do
    tar=$(bash "$POLYARCH_ROOT/scripts/rootfs.sh" "$name" "$arch" "${packages[@]}")
    # A hard link (same file system) or a copy: the bake context holds exactly the two roots.
    ln "$tar" "$work/rootfs/$arch.tar" 2>/dev/null || cp "$tar" "$work/rootfs/$arch.tar"
    info "dotnet publish ${PROJECT[$name]} -r ${DOTNET_RID[$arch]} --self-contained"
    dotnet publish "$POLYARCH_ROOT/${PROJECT[$name]}" -c Release -r "${DOTNET_RID[$arch]}" --self-contained \
      -p:DebugType=none -p:GenerateDocumentationFile=false -o "$work/app/$arch" --nologo -v quiet \
      >"$(private_log "$LOG_DIR/publish-$name-$arch.log")" 2>&1 \
      || die "dotnet publish of ${PROJECT[$name]} for ${DOTNET_RID[$arch]} failed (log: $LOG_DIR/publish-$name-$arch.log)" 1
    # polyarch-builder execs its Native AOT manifest tool when it lies next to it (issue 18). It is linked by this
    # machine's clang, so only the variant of this machine's architecture gets it; the other runs `manifest …` in-process.
    if [ "$name" = builder ] && [ "${DOTNET_RID[$arch]}" = "$(dotnet_rid)" ]; then
      dotnet_publish_aot "$POLYARCH_ROOT/builder/Polyarch.Builder.ManifestTool" "${DOTNET_RID[$arch]}" "$work/app/$arch" \
        "$LOG_DIR/publish-$name-$arch.log" || warn "polyarch-builder-manifest (Native AOT) not in the $arch image (log: $LOG_DIR/publish-$name-$arch.log)"
    fi
  done
  local upper; upper=$(tr '[:lower:]' '[:upper:]' <<<"$name")
  local revision created source
  revision=$(cd "$POLYARCH_ROOT" && git rev-parse HEAD)
  created=$(cd "$POLYARCH_ROOT" && git log -1 --format=%cI HEAD)
  source=$(cd "$POLYARCH_ROOT" && git config --get remote.origin.url || echo "file://$POLYARCH_ROOT")
  local attempt
  # distribution 2.8 sometimes answers the engine's second push of an index with HTTP 500; a retry succeeds.
  for attempt in 1 2 3; do
    if (cd "$POLYARCH_ROOT" && env REGISTRY="$POLYARCH_REGISTRY" TAG="$(input_hash "$name")" \
        "${upper}_ROOTFS=$work/rootfs" "${upper}_APP=$work/app" \
        SOURCE="$source" REVISION="$revision" CREATED="$created" \
        "$DOCKER" buildx bake --file "$POLYARCH_ROOT/docker-bake.hcl" --progress plain \
          "$name" \
        >>"$(private_log "$LOG_DIR/bake-$name.log")" 2>&1); then
      check_one "$name" && { info "pushed $(image_ref "$name")"; rm -rf "$work"; return 0; }
    fi
    warn "building $name failed (attempt $attempt of 3, log: $LOG_DIR/bake-$name.log); retrying"
    sleep 1
  done
  die "could not build and push $(image_ref "$name") (log: $LOG_DIR/bake-$name.log)" 1
}

names() {
  case "${1:-all}" in
    all) echo invoker builder ;;
    invoker|builder) echo "$1" ;;
    *) die "unknown image '$1'; the images are: invoker, builder (or all)" 2 ;;
  esac
}

cmd=${1:-ensure}
# Validated here, not inside `for n in $(names …)`: die in a command substitution would only leave the subshell.
case "$cmd" in check|ensure|rebuild) selected=$(names "${2:-all}") || exit $? ;; esac
case "$cmd" in
  check) for n in $selected; do check_one "$n" || exit 1; done ;;
  ensure) for n in $selected; do check_one "$n" && info "$(image_ref "$n") present" || build_one "$n"; done ;;
  rebuild) for n in $selected; do build_one "$n"; done ;;
  tag) [ $# -eq 2 ] && [ "$2" != all ] || die "usage: scripts/images.sh tag invoker|builder" 2; names "$2" >/dev/null; image_ref "$2" ;;
  *) die "unknown command '$cmd'; use: scripts/images.sh check | ensure | rebuild | tag" 2 ;;
esac
