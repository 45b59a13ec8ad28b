#!/usr/bin/env bash
# The runtimes of code actions (issue 13): images that take the action's code at OpenWhisk's POST /init.
# Today one: polyarch/python:3.11 — Python 3.11, numpy, scipy and scikit-learn from Debian 12, and the action proxy
# of invoker/runtimes/python — one OCI index for linux/amd64, linux/arm64 and linux/ppc64le, built by the
# "python-runtime" target of docker-bake.hcl from roots scripts/rootfs.sh makes (nothing can be pulled here).
#
#   scripts/runtimes.sh check   [python]   exit 0 when the registry holds the current image
#   scripts/runtimes.sh ensure  [python]   build and push what `check` does not find; a registry HEAD when cached
#   scripts/runtimes.sh rebuild [python]   build and push even when present
#   scripts/runtimes.sh tag     python     the pinned reference `ensure` produces (…/polyarch/python:3.11-<inputs>)
#   scripts/runtimes.sh roots   [python]   only build (or find) the three Debian roots, print their paths
#
# Caching, two levels: the roots are tarballs in $POLYARCH_STATE_DIR/rootfs keyed by the package list and the
# excludes (scripts/rootfs.sh; minutes under QEMU the first time, never rebuilt); the image's tag hashes its inputs —
# the package list, the excludes, this script, scripts/rootfs.sh, invoker/runtimes/python/proxy/ and the bake target — so `ensure` with
# unchanged inputs is one HEAD per tag. Each build (and each `ensure` that finds the pinned tag) points :3.11 at it.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ARCHS=(amd64 arm64 ppc64le)
PYTHON_VERSION=3.11
PYTHON_PACKAGES=(python3 python3-numpy python3-scipy python3-sklearn)
# Not needed at run time: the C compiler and LTO tools python3-pythran (a scipy dependency) pulls in (never installed)
# and the packages' test suites (removed after the install: numpy's postinst byte-compiles them).
PYTHON_EXCLUDES=('/usr/lib/gcc/*' '/usr/libexec/gcc/*' '/usr/bin/*lto-dump*')
PYTHON_PRUNES=('/usr/lib/python3/dist-packages/*/tests' '/usr/lib/python3/dist-packages/*/*/tests' '/usr/lib/python3/dist-packages/*/*/*/tests')

INDEX_TYPES='application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.list.v2+json'

names() {
  case "${1:-python}" in
    python|all) echo python ;;
    *) die "unknown runtime '$1'; the runtimes are: python" 2 ;;
  esac
}

input_hash() {
  {
    printf '%s\n' "${PYTHON_PACKAGES[@]}" | sort
    printf '%s\n' "${PYTHON_EXCLUDES[@]}" | sort
    printf 'prune %s\n' "${PYTHON_PRUNES[@]}" | sort
    cd "$POLYARCH_ROOT"
    # File contents, not commits: a work tree with uncommitted changes gets its own tag.
    # (invoker/runtimes/python/proxy only: the README beside it is not part of the image.)
    find scripts/runtimes.sh scripts/rootfs.sh invoker/runtimes/python/proxy -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum
    # The image's recipe: the python-runtime target of docker-bake.hcl, from its first line to its closing brace.
    awk '/^target "python-runtime" \{/ { on = 1 } on { print } on && /^\}/ { exit }' docker-bake.hcl
  } | sha256sum | cut -c1-12
}

repository() { printf '%s/polyarch/%s\n' "$POLYARCH_REGISTRY" "$1"; }
image_ref() { printf '%s:%s-%s\n' "$(repository "$1")" "$PYTHON_VERSION" "$(input_hash)"; }
moving_ref() { printf '%s:%s\n' "$(repository "$1")" "$PYTHON_VERSION"; }

# index_digest NAME TAG: the digest the registry serves for polyarch/NAME:TAG (one HEAD), empty when absent (never a
# failure: `x=$(index_digest …)` must not stop the script under set -e when the tag is missing).
index_digest() {
  curl -fsS --max-time 10 -I -H "Accept: $INDEX_TYPES" "http://$POLYARCH_REGISTRY/v2/polyarch/$1/manifests/$2" 2>/dev/null \
    | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }' || true
}

check_one() {
  local ref tag; ref=$(image_ref "$1"); tag=${ref##*:}
  [ -n "$(index_digest "$1" "$tag")" ] || return 1
}

# point_moving_tag NAME: :3.11 names the same index as the pinned tag (GET the index bytes, PUT them: same digest).
point_moving_tag() {
  local ref tag pinned moving; ref=$(image_ref "$1"); tag=${ref##*:}
  pinned=$(index_digest "$1" "$tag"); moving=$(index_digest "$1" "$PYTHON_VERSION")
  [ "$pinned" != "$moving" ] || return 0
  local tmp; tmp=$(mktemp)
  local type
  type=$(curl -fsS --max-time 30 -H "Accept: $INDEX_TYPES" -o "$tmp" -w '%{content_type}' "http://$POLYARCH_REGISTRY/v2/polyarch/$1/manifests/$pinned")
  curl -fsS --max-time 30 -X PUT -H "Content-Type: $type" --data-binary "@$tmp" -o /dev/null \
    "http://$POLYARCH_REGISTRY/v2/polyarch/$1/manifests/$PYTHON_VERSION" \
    || { rm -f "$tmp"; die "could not point $(moving_ref "$1") at $pinned; is the registry at $POLYARCH_REGISTRY writable?" 3; }
  rm -f "$tmp"
  info "$(moving_ref "$1") → $pinned"
}

# roots NAME DIR: the three roots, hard-linked (or copied) into DIR as amd64.tar, arm64.tar, ppc64le.tar. The
# foreign ones are built side by side (each under QEMU, minutes the first time).
roots() {
  local name=$1 dir=$2 arch
  local -a excl=()
  local g; for g in "${PYTHON_EXCLUDES[@]}"; do excl+=(--exclude "$g"); done
  for g in "${PYTHON_PRUNES[@]}"; do excl+=(--prune "$g"); done
  mkdir -p "$dir"
  local -A pids=()
  for arch in "${ARCHS[@]}"; do
    bash "$POLYARCH_ROOT/scripts/rootfs.sh" "${excl[@]}" "$name" "$arch" "${PYTHON_PACKAGES[@]}" >"$dir/$arch.path" &
    pids[$arch]=$!
  done
  for arch in "${ARCHS[@]}"; do
    wait "${pids[$arch]}" || die "the $name root for $arch could not be built (see the error above)" 1
    local tar; tar=$(tail -1 "$dir/$arch.path"); rm -f "$dir/$arch.path"
    ln -f "$tar" "$dir/$arch.tar" 2>/dev/null || cp "$tar" "$dir/$arch.tar"
    info "$arch: $tar ($(du -h "$tar" | cut -f1))"
  done
}

build_one() {
  local name=$1 work="$POLYARCH_STATE_DIR/runtimes/$1"
  registry_answers || die "the registry at $POLYARCH_REGISTRY does not answer; run scripts/host.sh up" 3
  docker_answers || die "the Docker engine does not answer; run scripts/host.sh up" 3
  say "Building $(image_ref "$name") for linux/amd64,linux/arm64,linux/ppc64le"
  local started=$SECONDS
  rm -rf "$work" && mkdir -p "$work"
  roots "$name" "$work/rootfs"
  info "roots ready after $((SECONDS - started)) s"
  local revision created source
  revision=$(cd "$POLYARCH_ROOT" && git rev-parse HEAD)
  created=$(cd "$POLYARCH_ROOT" && git log -1 --format=%cI HEAD)
  source=$(cd "$POLYARCH_ROOT" && git config --get remote.origin.url || echo "file://$POLYARCH_ROOT")
  local attempt ref; ref=$(image_ref "$name")
  # distribution 2.8 sometimes answers the engine's second push of an index with HTTP 500; a retry succeeds.
  for attempt in 1 2 3; do
    if (cd "$POLYARCH_ROOT" && env REGISTRY="$POLYARCH_REGISTRY" PYTHON_TAG="${ref##*:}" PYTHON_ROOTFS="$work/rootfs" \
        SOURCE="$source" REVISION="$revision" CREATED="$created" \
        "$DOCKER" buildx bake --file "$POLYARCH_ROOT/docker-bake.hcl" --progress plain python-runtime \
        >>"$(private_log "$LOG_DIR/bake-runtime-$name.log")" 2>&1); then
      if check_one "$name"; then
        point_moving_tag "$name"
        info "pushed $ref in $((SECONDS - started)) s"
        rm -rf "$work"
        return 0
      fi
    fi
    warn "building the $name runtime failed (attempt $attempt of 3, log: $LOG_DIR/bake-runtime-$name.log); retrying"
    sleep 1
  done
  die "could not build and push $ref (log: $LOG_DIR/bake-runtime-$name.log)" 1
}

cmd=${1:-ensure}
case "$cmd" in
  check) for n in $(names "${2:-python}"); do check_one "$n" || exit 1; done ;;
  ensure)
    for n in $(names "${2:-python}"); do
      if check_one "$n"; then point_moving_tag "$n"; info "$(image_ref "$n") present"; else build_one "$n"; fi
    done ;;
  rebuild) for n in $(names "${2:-python}"); do build_one "$n"; done ;;
  tag) [ $# -eq 2 ] || die "usage: scripts/runtimes.sh tag python" 2; names "$2" >/dev/null; image_ref "$2" ;;
  roots) for n in $(names "${2:-python}"); do roots "$n" "$POLYARCH_STATE_DIR/runtimes/$n/rootfs"; done ;;
  *) die "unknown command '$cmd'; use: scripts/runtimes.sh check | ensure | rebuild | tag | roots" 2 ;;
esac
