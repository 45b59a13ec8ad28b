#!/usr/bin/env bash
# A root filesystem built from Debian 12 packages with mmdebstrap, for one architecture, cached under the state
# directory and never rebuilt while it exists. Nothing can be pulled here, so every Polyarch image (its own
# services, the runtimes of code actions) starts from one of these instead of a base image.
#
#   scripts/rootfs.sh [--exclude GLOB]... [--prune GLOB]... NAME ARCH PACKAGE...
#                                              prints the path of the tarball (builds it when missing)
#
#   --exclude GLOB  a dpkg path-exclude pattern on top of the default ones (docs, man, locales, info, headers), e.g.
#             '/usr/lib/gcc/*' for a root that pulls a compiler it never runs (python3-sklearn → pythran → gcc)
#   --prune GLOB    removed after everything is installed, for files a maintainer script still needs at install time
#             (python3-numpy's postinst byte-compiles its tests/ directories, so those cannot be path-excluded)
#   NAME      a label for the file name (e.g. dotnet, builder, python)
#   ARCH      OCI or Debian architecture: amd64, arm64, ppc64le (= Debian ppc64el)
#   PACKAGE   Debian package names; PKG/trixie takes that one package from Debian 13 (e.g. docker-cli/trixie),
#             everything else stays bookworm (APT::Default-Release).
#
# The cache key is a hash of the variant, suites, architecture, the sorted package list and the extra excludes (only
# when there are some, so roots built without any keep their key): change the list and
# a new root is built beside the old one; keep it and the cached tarball is reused
# ($POLYARCH_STATE_DIR/rootfs/NAME-ARCH-KEY.tar). A foreign architecture runs its maintainer scripts under QEMU
# (binfmt, see scripts/host.sh): about 1–3 minutes the first time, nothing afterwards.
#
# Environment: POLYARCH_DEBIAN_MIRROR (default: the first Debian mirror in the host's apt sources). Only that
# mirror's "main" is used — never the host's sources, whose security index can be momentarily inconsistent for a
# foreign architecture and stops mmdebstrap (it runs apt-get update --error-on=any).
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

VARIANT=essential

usage() { die "usage: scripts/rootfs.sh [--exclude GLOB]... [--prune GLOB]... NAME ARCH PACKAGE...  (ARCH: amd64 | arm64 | ppc64le)" 2; }

debian_mirror() {
  if [ -n "${POLYARCH_DEBIAN_MIRROR:-}" ]; then printf '%s\n' "$POLYARCH_DEBIAN_MIRROR"; return; fi
  local mirror
  mirror=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
    | grep -oE 'https?://[^ ]+/debian/?' | grep -v -- '-security' | head -1)
  [ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources.list*; set POLYARCH_DEBIAN_MIRROR (e.g. http://deb.debian.org/debian)" 2
  printf '%s\n' "${mirror%/}"
}

main() {
  local -a excludes=() prunes=()
  while [ "${1:-}" = --exclude ] || [ "${1:-}" = --prune ]; do
    [ $# -ge 2 ] || usage
    # Letters, digits and . _ - * / only: a prune pattern is expanded by the hook's shell, never interpreted further.
    [[ $2 =~ ^/[A-Za-z0-9._*/-]+$ && $2 != *..* ]] || die "$1 '$2' must be an absolute path glob of letters, digits, '.', '_', '-', '*' and '/' (e.g. '/usr/lib/gcc/*')" 2
    if [ "$1" = --exclude ]; then excludes+=("$2"); else prunes+=("$2"); fi
    shift 2
  done
  [ $# -ge 3 ] || usage
  local name=$1 arch=$2; shift 2
  [[ $name =~ ^[a-z0-9][a-z0-9._-]*$ ]] || die "NAME '$name' must be lower-case letters, digits, '.', '_' or '-'" 2
  local deb_arch
  case "$arch" in
    amd64|arm64) deb_arch=$arch ;;
    ppc64le|ppc64el) deb_arch=ppc64el; arch=ppc64le ;;
    *) die "architecture '$arch' is not one Polyarch builds roots for; use amd64, arm64 or ppc64le" 2 ;;
  esac

  local packages trixie=0 p
  packages=$(printf '%s\n' "$@" | sort -u)
  for p in $packages; do
    [[ $p =~ ^[a-z0-9][a-z0-9+.-]*(/trixie)?$ ]] || die "'$p' is not a Debian package name (optionally PKG/trixie)" 2
    [[ $p == */trixie ]] && trixie=1
  done

  local key out dir
  local excluded=""
  [ ${#excludes[@]} -eq 0 ] || excluded=$(printf 'exclude %s\n' "${excludes[@]}" | sort -u)
  [ ${#prunes[@]} -eq 0 ] || excluded+=$'\n'$(printf 'prune %s\n' "${prunes[@]}" | sort -u)
  key=$( { printf '%s\n' "$VARIANT" "bookworm" "$trixie" "$deb_arch" "$packages"; [ -z "$excluded" ] || printf '%s\n' "$excluded"; } \
    | sha256sum | cut -c1-16)
  dir="$POLYARCH_STATE_DIR/rootfs"
  out="$dir/$name-$arch-$key.tar"
  if [ -s "$out" ]; then
    printf '%s\n' "$out"
    return 0
  fi
  mkdir -p "$dir"
  # One build per root at a time: a second caller (a parallel test, another script) waits and then finds it cached.
  exec 9>"$out.lock"
  flock 9
  if [ -s "$out" ]; then
    printf '%s\n' "$out"
    return 0
  fi
  # Its messages go to stderr: stdout is the root's path alone.
  command -v mmdebstrap >/dev/null || apt_install default /usr/bin/mmdebstrap mmdebstrap >&2
  # mmdebstrap only recommends arch-test, and installs here skip recommends; without it every foreign root stops at
  # "E: install arch-test for foreign architecture support" (seen on a fresh machine).
  [ "$deb_arch" = "$(dpkg --print-architecture)" ] || command -v arch-test >/dev/null || apt_install default /usr/bin/arch-test arch-test >&2

  local mirror; mirror=$(debian_mirror)
  local sources=("deb $mirror bookworm main")
  local aptopts=(--aptopt='APT::Install-Recommends "false"')
  if [ $trixie -eq 1 ]; then
    sources+=("deb $mirror trixie main")
    aptopts+=(--aptopt='APT::Default-Release "bookworm"')
  fi
  local include; include=$(tr '\n' ',' <<<"$packages"); include=${include%,}
  local -a dpkgopts=() g
  for g in "${excludes[@]}"; do dpkgopts+=(--dpkgopt="path-exclude=$g"); done
  local prune_hook='true'
  for g in "${prunes[@]}"; do prune_hook+=" && rm -rf \"\$1\"$g"; done

  mkdir -p "$dir"
  private_log_dir
  local log; log=$(private_log "$LOG_DIR/rootfs-$name-$arch.log")
  say "Building the $name root for $arch from Debian packages ($include); log: $log" >&2
  # Build into a temporary name and rename: an interrupted run never leaves a tarball the cache would trust.
  local tmp="$out.partial.$$"
  trap 'rm -f "$tmp"' EXIT
  if ! mmdebstrap --variant="$VARIANT" --arch="$deb_arch" --format=tar "${aptopts[@]}" \
      --include="$include" \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/include/*' "${dpkgopts[@]}" \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' --customize-hook="$prune_hook" \
      bookworm "$tmp" "${sources[@]}" >>"$log" 2>&1; then
    die "mmdebstrap could not build the $name root for $arch (log: $log); check the mirror $mirror and the package names" 1
  fi
  mv "$tmp" "$out"
  trap - EXIT
  info "$(du -h "$out" | cut -f1) → $out" >&2
  printf '%s\n' "$out"
}

main "$@"
