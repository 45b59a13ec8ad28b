#!/usr/bin/env bash
# The container host Polyarch runs on: Docker engine + buildx, QEMU binfmt handlers, a CNCF distribution
# registry on loopback, PostgreSQL for the shared store (scripts/postgres.sh), and the multi-arch
# polyarch/busybox base image.
#
#   scripts/host.sh up       install what is missing, start what is not running (idempotent)
#   scripts/host.sh status   report each part; exit 1 if one is missing
#   scripts/host.sh down     stop only what `up` started (by pid file)
#
# Settings (environment): POLYARCH_STATE_DIR, POLYARCH_REGISTRY (default 127.0.0.1:5000).
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

TRIXIE_SOURCE=/etc/apt/sources.list.d/polyarch-trixie.sources
TRIXIE_PIN=/etc/apt/preferences.d/polyarch-trixie
DAEMON_JSON=/etc/docker/daemon.json
QEMU_ARCHES=(aarch64 ppc64le)

# --- installation -------------------------------------------------------------------------------

add_trixie_source() {
  [ -f "$TRIXIE_SOURCE" ] && [ -f "$TRIXIE_PIN" ] && return 0
  say "Adding Debian 13 (trixie) as a low-priority package source (pin 100)"
  as_root tee "$TRIXIE_SOURCE" >/dev/null <<'EOF'
# Added by Polyarch scripts/host.sh: docker.io 26, docker-cli 26 and docker-buildx come from trixie.
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  as_root tee "$TRIXIE_PIN" >/dev/null <<'EOF'
# Added by Polyarch scripts/host.sh: never upgrade anything to trixie unless asked with -t trixie.
Package: *
Pin: release n=trixie
Pin-Priority: 100
EOF
  apt_updated=0
}

install_packages() {
  command -v curl >/dev/null 2>&1 || apt_install default /usr/bin/curl curl ca-certificates
  if [ ! -x /usr/sbin/dockerd ] || [ ! -x /usr/bin/docker ] || [ ! -x /usr/libexec/docker/cli-plugins/docker-buildx ]; then
    add_trixie_source
    apt_install trixie /usr/libexec/docker/cli-plugins/docker-buildx docker.io docker-cli docker-buildx
  fi
  apt_install default /usr/bin/qemu-aarch64-static qemu-user-static
  apt_install default /usr/sbin/update-binfmts binfmt-support
  apt_install default /usr/bin/docker-registry docker-registry
  # skopeo: a second, independent OCI client the interop tests read our indexes with.
  apt_install default /usr/bin/skopeo skopeo
  # chromium: Debian's browser, which the dashboard's Playwright tests drive (Playwright cannot download its own here).
  apt_install default /usr/bin/chromium chromium
}

# --- binfmt / QEMU ------------------------------------------------------------------------------

enable_binfmt() {
  if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
    say "Mounting binfmt_misc"
    as_root mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc \
      || die "cannot mount binfmt_misc ('mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc'); the machine needs CAP_SYS_ADMIN" 3
  fi
  local arch missing=0
  for arch in "${QEMU_ARCHES[@]}"; do
    grep -qs '^enabled' "/proc/sys/fs/binfmt_misc/qemu-$arch" || missing=1
  done
  if [ $missing -eq 1 ]; then
    say "Enabling QEMU binfmt handlers"
    as_root update-binfmts --enable >/dev/null 2>&1 || true
    for arch in "${QEMU_ARCHES[@]}"; do
      grep -qs '^enabled' "/proc/sys/fs/binfmt_misc/qemu-$arch" \
        || die "binfmt handler qemu-$arch is not enabled after 'update-binfmts --enable'" 3
    done
  fi
}

# --- Docker engine ------------------------------------------------------------------------------

# The engine config we need: containerd image store (multi-platform builds, OCI index push) and, for a
# registry that is not on loopback, an insecure-registries entry (the engine trusts loopback itself).
write_daemon_json() {
  local want insecure=""
  registry_host_is_loopback || insecure=",\"insecure-registries\":[\"$POLYARCH_REGISTRY\"]"
  want="{\"features\":{\"containerd-snapshotter\":true}$insecure}"
  if [ -f "$DAEMON_JSON" ] && [ "$(tr -d ' \n\t' <"$DAEMON_JSON")" = "$want" ]; then
    return 1 # unchanged
  fi
  if [ -f "$DAEMON_JSON" ] && ! grep -qs '"polyarch-managed"' "$DAEMON_JSON.polyarch" 2>/dev/null; then
    as_root cp "$DAEMON_JSON" "$DAEMON_JSON.before-polyarch" 2>/dev/null || true
  fi
  say "Writing $DAEMON_JSON"
  as_root mkdir -p /etc/docker
  printf '%s\n' "$want" | as_root tee "$DAEMON_JSON" >/dev/null
  return 0
}

start_dockerd() {
  local changed=0
  write_daemon_json && changed=1
  if docker_answers; then
    if [ $changed -eq 1 ]; then
      if pid_alive "$RUN_DIR/dockerd.pid"; then
        say "Restarting dockerd (its configuration changed)"
        stop_pidfile dockerd 20
      else
        warn "$DAEMON_JSON changed but dockerd was not started by Polyarch; restart it yourself to apply it"
        return 0
      fi
    else
      return 0
    fi
  fi
  [ -x /usr/sbin/dockerd ] || die "dockerd is not installed; run 'scripts/host.sh up' as root" 3
  say "Starting dockerd (log: $LOG_DIR/dockerd.log)"
  # A dockerd that died leaves its pid file and sockets behind; it refuses to start over them.
  as_root rm -f /var/run/docker.pid
  if [ "$(id -u)" -eq 0 ]; then
    setsid /usr/sbin/dockerd >>"$(private_log "$LOG_DIR/dockerd.log")" 2>&1 </dev/null &
  else
    sudo -b setsid /usr/sbin/dockerd >>"$(private_log "$LOG_DIR/dockerd.log")" 2>&1 </dev/null
  fi
  wait_until 60 dockerd docker_answers \
    || die "dockerd did not answer within 60 s; see the end of $LOG_DIR/dockerd.log" 3
  # dockerd writes its own pid file; keeping a copy marks it as started by us (down stops only that).
  cp /var/run/docker.pid "$RUN_DIR/dockerd.pid"
}

# --- registry -----------------------------------------------------------------------------------

# The registry-notification bearer token: generated once, kept in the state directory (0600), never
# printed or committed. The invoker reads the same file to check the registry's webhook calls.
ensure_secrets() {
  local dir="$POLYARCH_STATE_DIR/secrets"
  mkdir -p "$dir" && chmod 700 "$dir"
  if [ ! -s "$dir/registry-webhook.token" ]; then
    say "Generating the registry webhook token ($dir/registry-webhook.token)"
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$dir/registry-webhook.token")
  fi
}

start_registry() {
  export POLYARCH_NOTIFY_URL="${POLYARCH_INVOKER_URL:-http://127.0.0.1:5090}/v1/hooks/registry"
  export POLYARCH_NOTIFY_TOKEN_FILE="$POLYARCH_STATE_DIR/secrets/registry-webhook.token"
  # What the running registry was started with; a change (config, webhook URL, token) restarts it.
  local signature
  # registry.sh and its log filter count too: a registry started by an older one may print the token.
  signature=$(cat "$POLYARCH_ROOT/registry/distribution/config.yml" "$POLYARCH_NOTIFY_TOKEN_FILE" \
    "$POLYARCH_ROOT/scripts/registry.sh" "$POLYARCH_ROOT/scripts/lib/redact.awk" \
    <(echo "$POLYARCH_REGISTRY $POLYARCH_NOTIFY_URL") | sha256sum | cut -c1-16)
  if registry_answers; then
    if [ "$(cat "$RUN_DIR/registry.signature" 2>/dev/null)" = "$signature" ] || ! pid_alive "$RUN_DIR/registry.pid"; then
      return 0
    fi
    say "Restarting the registry (its configuration changed)"
    stop_pidfile registry 10
  fi
  registry_host_is_loopback || [ "${POLYARCH_REGISTRY_ANY_INTERFACE:-}" = 1 ] \
    || die "POLYARCH_REGISTRY=$POLYARCH_REGISTRY is not a loopback address; the registry only listens on 127.0.0.0/8 unless POLYARCH_REGISTRY_ANY_INTERFACE=1" 2
  if pid_alive "$RUN_DIR/registry.pid"; then stop_pidfile registry 10; fi
  mkdir -p "$POLYARCH_STATE_DIR/registry/data"
  scrub_registry_log
  say "Starting the registry on $POLYARCH_REGISTRY (storage: $POLYARCH_STATE_DIR/registry/data, events → $POLYARCH_NOTIFY_URL)"
  setsid "$POLYARCH_ROOT/scripts/registry.sh" "$POLYARCH_REGISTRY" "$POLYARCH_STATE_DIR/registry/data" \
    >>"$(private_log "$LOG_DIR/registry.log")" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/registry.pid"
  echo "$signature" >"$RUN_DIR/registry.signature"
  wait_until 30 registry registry_answers \
    || die "the registry did not answer http://$POLYARCH_REGISTRY/v2/ within 30 s; see $LOG_DIR/registry.log (is the port taken?)" 3
}

# Registries started by earlier versions of scripts/registry.sh printed the webhook token into registry.log;
# take it out of what is there (grep -f and the filter read the token from its file, never from arguments).
scrub_registry_log() {
  local log="$LOG_DIR/registry.log"
  [ -s "$log" ] || return 0
  grep -qF -f "$POLYARCH_NOTIFY_TOKEN_FILE" "$log" || grep -q 'Authorization:\[Bearer' "$log" || return 0
  say "Removing the webhook token that an earlier registry printed into $log"
  awk -v "secret_file=$POLYARCH_NOTIFY_TOKEN_FILE" -f "$POLYARCH_ROOT/scripts/lib/redact.awk" "$log" \
    >"$(private_log "$log.redacted")" && mv -f "$log.redacted" "$log"
}

# --- stop ---------------------------------------------------------------------------------------

# stop_pidfile NAME GRACE_SECONDS: TERM the process we started, KILL after the grace period.
stop_pidfile() {
  local name=$1 grace=$2 file="$RUN_DIR/$1.pid" pid
  pid_alive "$file" || { rm -f "$file"; return 0; }
  pid=$(cat "$file")
  say "Stopping $name (pid $pid)"
  as_root kill -TERM -- "-$pid" 2>/dev/null || as_root kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && as_root kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$file"
}

# --- status -------------------------------------------------------------------------------------

status() {
  local bad=0 arch line
  if docker_answers; then
    printf 'engine     ok       %s (image store: %s)\n' \
      "$("$DOCKER" version --format 'docker {{.Server.Version}}' 2>/dev/null)" \
      "$("$DOCKER" info --format '{{.Driver}}{{range .DriverStatus}} {{index . 1}}{{end}}' 2>/dev/null)"
    line=$("$DOCKER" buildx version 2>/dev/null | awk '{print $2}')
    printf 'buildx     %-8s %s\n' "${line:+ok}" "${line:-missing}"
    [ -n "$line" ] || bad=1
    line=$("$DOCKER" buildx inspect 2>/dev/null | awk -F': *' '/^Platforms/ {print $2; exit}')
    local missing=()
    for arch in ${POLYARCH_PLATFORMS//,/ }; do [[ "$line" == *"$arch"* ]] || missing+=("$arch"); done
    if [ ${#missing[@]} -eq 0 ]; then printf 'platforms  ok       %s\n' "$line"
    else printf 'platforms  missing  %s (builder has: %s)\n' "${missing[*]}" "$line"; bad=1; fi
  else
    echo "engine     missing  docker info does not answer (run: scripts/host.sh up)"; bad=1
  fi
  for arch in "${QEMU_ARCHES[@]}"; do
    if grep -qs '^enabled' "/proc/sys/fs/binfmt_misc/qemu-$arch"; then
      printf 'binfmt     ok       qemu-%s (%s)\n' "$arch" "$(awk '/^flags/ {print "flags " $2}' "/proc/sys/fs/binfmt_misc/qemu-$arch")"
    else
      printf 'binfmt     missing  qemu-%s\n' "$arch"; bad=1
    fi
  done
  if registry_answers; then
    printf 'registry   ok       http://%s/v2/ (%s)\n' "$POLYARCH_REGISTRY" "$(/usr/bin/docker-registry --version 2>/dev/null | awk '{print $NF}')"
  else
    printf 'registry   missing  http://%s/v2/ does not answer\n' "$POLYARCH_REGISTRY"; bad=1
  fi
  "$POLYARCH_ROOT/scripts/postgres.sh" status || bad=1
  if [ -x /usr/bin/chromium ]; then
    printf 'chromium   ok       %s\n' "$(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
  else
    echo "chromium   missing  /usr/bin/chromium (run: scripts/host.sh up)"; bad=1
  fi
  if [ $bad -eq 0 ] && base_image_ready; then
    printf 'base       ok       %s/polyarch/busybox:latest (%s)\n' "$POLYARCH_REGISTRY" "$POLYARCH_PLATFORMS"
  elif [ $bad -eq 0 ]; then
    printf 'base       missing  %s/polyarch/busybox:latest\n' "$POLYARCH_REGISTRY"; bad=1
  fi
  return $bad
}

base_image_ready() {
  "$POLYARCH_ROOT/scripts/base-image.sh" check >/dev/null 2>&1
}

# --- main ---------------------------------------------------------------------------------------

cmd=${1:-status}
mkdir -p "$RUN_DIR"
private_log_dir
case "$cmd" in
  up)
    install_packages
    enable_binfmt
    start_dockerd
    ensure_secrets
    start_registry
    "$POLYARCH_ROOT/scripts/postgres.sh" up
    "$POLYARCH_ROOT/scripts/base-image.sh" ensure
    say "Container host is up"
    status
    ;;
  down)
    "$POLYARCH_ROOT/scripts/postgres.sh" down
    stop_pidfile registry 10
    stop_pidfile dockerd 30
    ;;
  status)
    status
    ;;
  *)
    die "unknown command '$cmd'; use: scripts/host.sh up | status | down" 2
    ;;
esac
