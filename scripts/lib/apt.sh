# shellcheck shell=bash
# Installing Debian packages for the host scripts (host.sh, postgres.sh, rootfs.sh). Sourced after common.sh, never run.

apt_updated=0
apt_update() {
  [ $apt_updated -eq 1 ] && return 0
  # apt-get update exits 100 when one (often foreign-architecture) index fails to download, e.g.
  # "Mirror sync in progress". That is not fatal for us: we check for each package afterwards.
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >"$(private_log "$LOG_DIR/apt-update.log")" 2>&1 || warn "apt-get update reported errors (see $LOG_DIR/apt-update.log); continuing"
  apt_updated=1
}

# apt_install RELEASE CHECK_PATH PACKAGE...: install PACKAGEs unless CHECK_PATH exists. One install at a time: scripts that
# run side by side (runtimes.sh builds three roots at once, each needing mmdebstrap) wait for each other's install and then
# find the package there, and apt waits for any other apt or dpkg (DPkg::Lock::Timeout) instead of failing on its lock.
apt_install() {
  local release=$1 check=$2; shift 2
  [ -e "$check" ] && return 0
  mkdir -p "$POLYARCH_STATE_DIR"
  local lock
  exec {lock}>"$POLYARCH_STATE_DIR/.apt-install.lock"
  flock "$lock"
  if [ -e "$check" ]; then
    exec {lock}>&-
    return 0
  fi
  apt_update
  # pkg/release (not -t release): only the named packages, and the dependencies they really need,
  # come from that release; everything else stays on the machine's own release.
  local target=() pkg
  if [ "$release" = default ]; then target=("$@"); else for pkg; do target+=("$pkg/$release"); done; fi
  say "Installing ${target[*]}"
  # Keep package maintainer scripts from starting services (docker.io, docker-registry): up starts
  # them itself, on loopback, with our configuration.
  local policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d; policy_added=1
  fi
  local ok=1
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${target[@]}" >>"$(private_log "$LOG_DIR/apt-install.log")" 2>&1 || ok=0
  [ $policy_added -eq 0 ] || as_root rm -f /usr/sbin/policy-rc.d
  if [ $ok -eq 0 ]; then
    die "installing $* failed: 'apt-get install ${target[*]}' (log: $LOG_DIR/apt-install.log). Fix the package source, then run 'scripts/host.sh up' again." 3
  fi
  [ -e "$check" ] || die "package $* installed but $check is missing; see $LOG_DIR/apt-install.log" 3
  exec {lock}>&-
}
