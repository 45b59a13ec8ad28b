#!/usr/bin/env bash
# A private registry as platform teams run one, at a non-loopback address on this machine:
#   - registry.polyarch.test:5443  CNCF distribution with TLS from a private CA (generated here) and htpasswd
#                                  basic auth (user "polyarch", password generated into the state directory)
#   - registry.polyarch.test:5001  a plain-HTTP distribution (the "insecure registry" case)
# Both listen on 198.18.0.2 inside the network namespace polyarch-reg, reached from the host through a veth
# pair (198.18.0.1/30 ↔ 198.18.0.2/30; 198.18.0.0/15 is reserved for network tests, RFC 2544), with the
# host name in /etc/hosts. Traffic never leaves the machine. Every tool treats 127.0.0.0/8 as trusted, so
# only an address like this one shows what the engine, buildx, skopeo and Polyarch must be told.
#
#   scripts/private-registry.sh up      create what is missing, start what is not running (idempotent)
#   scripts/private-registry.sh status  report each part; exit 1 if one is missing
#   scripts/private-registry.sh env     print the settings (KEY=VALUE) tests and users need
#   scripts/private-registry.sh down    stop both registries, delete the veth pair, the namespace and the
#                                       /etc/hosts line (the CA, certificates and password stay)
#
# Nothing here touches the engine's configuration: trusting the CA is the job of
# `polyarch-builder registry profile registry.polyarch.test:5443 --ca "$(scripts/private-registry.sh env | …CA)"`.
#
# Settings (environment): POLYARCH_STATE_DIR, POLYARCH_PRIVATE_NET (default 198.18.0.0, a /30 is used).
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

NS=polyarch-reg
VETH_HOST=pa-reg-h
VETH_NS=pa-reg-n
NET=${POLYARCH_PRIVATE_NET:-198.18.0.0}
NET_PREFIX=${NET%.*}
NET_LAST=${NET##*.}
HOST_IP="$NET_PREFIX.$((NET_LAST + 1))"
NS_IP="$NET_PREFIX.$((NET_LAST + 2))"
HOSTNAME_=registry.polyarch.test
TLS_PORT=5443
PLAIN_PORT=5001
USER_=polyarch
HOSTS_MARK="# polyarch private registry (scripts/private-registry.sh)"

DIR="$POLYARCH_STATE_DIR/private-registry"
CA_CRT="$DIR/ca/ca.crt"
CA_KEY="$DIR/ca/ca.key"
SERVER_CRT="$DIR/tls/server.crt"
SERVER_KEY="$DIR/tls/server.key"
HTPASSWD="$DIR/auth/htpasswd"
PASSWORD_FILE="$POLYARCH_STATE_DIR/secrets/private-registry.password"

# --- network ------------------------------------------------------------------------------------

check_net_is_free() {
  # Never take an address of a subnet the machine already uses (e.g. its gateway's).
  local routes
  routes=$(ip -4 route show | grep -v "dev $VETH_HOST" || true)
  case "$NET" in 198.18.*|198.19.*) ;; *) die "POLYARCH_PRIVATE_NET=$NET is not in 198.18.0.0/15 (reserved for network tests); pick one there" 2 ;; esac
  if grep -qE "(^| )($NET_PREFIX\.|198\.1[89]\.0\.0/1[5-6])" <<<"$routes"; then
    die "a route of this machine already covers $NET/30 ($(grep -E "$NET_PREFIX\.|198\.1[89]" <<<"$routes" | head -1)); set POLYARCH_PRIVATE_NET to a free 198.18.x.0 network" 3
  fi
}

net_up() {
  if ! ip netns list | grep -qw "^$NS"; then
    check_net_is_free
    say "Creating network namespace $NS ($NS_IP) and veth $VETH_HOST ($HOST_IP)"
    as_root ip netns add "$NS"
  fi
  if ! ip link show "$VETH_HOST" >/dev/null 2>&1; then
    check_net_is_free
    as_root ip link add "$VETH_HOST" type veth peer name "$VETH_NS"
    as_root ip link set "$VETH_NS" netns "$NS"
    as_root ip addr add "$HOST_IP/30" dev "$VETH_HOST"
    as_root ip link set "$VETH_HOST" up
    as_root ip netns exec "$NS" ip addr add "$NS_IP/30" dev "$VETH_NS"
    as_root ip netns exec "$NS" ip link set "$VETH_NS" up
  fi
  as_root ip netns exec "$NS" ip link set lo up
  # One line, replaced when the address changed, never duplicated.
  local line="$NS_IP $HOSTNAME_ $HOSTS_MARK"
  if ! grep -qxF "$line" /etc/hosts; then
    say "Adding $HOSTNAME_ → $NS_IP to /etc/hosts"
    hosts_remove_line
    printf '%s\n' "$line" | as_root tee -a /etc/hosts >/dev/null
  fi
}

hosts_remove_line() {
  grep -qF "$HOSTS_MARK" /etc/hosts || return 0
  # /etc/hosts may be a bind mount: rewrite it in place, never replace the file.
  local kept
  kept=$(grep -vF "$HOSTS_MARK" /etc/hosts)
  printf '%s\n' "$kept" | as_root tee /etc/hosts >/dev/null
}

net_down() {
  if ip link show "$VETH_HOST" >/dev/null 2>&1; then
    say "Deleting veth $VETH_HOST"
    as_root ip link del "$VETH_HOST"
  fi
  if ip netns list | grep -qw "^$NS"; then
    say "Deleting network namespace $NS"
    as_root ip netns del "$NS"
  fi
  hosts_remove_line
}

# --- secrets: CA, server certificate, htpasswd --------------------------------------------------

ensure_htpasswd_tool() {
  command -v htpasswd >/dev/null 2>&1 && return 0
  say "Installing apache2-utils (htpasswd -B writes the bcrypt entries distribution accepts)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends apache2-utils >>"$LOG_DIR/apt-install.log" 2>&1 \
    || { as_root apt-get update -qq >>"$LOG_DIR/apt-update.log" 2>&1 || true
         as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends apache2-utils >>"$LOG_DIR/apt-install.log" 2>&1; } \
    || die "installing apache2-utils failed (log: $LOG_DIR/apt-install.log)" 3
}

ensure_secrets() {
  mkdir -p "$DIR/ca" "$DIR/tls" "$DIR/auth" "$POLYARCH_STATE_DIR/secrets"
  chmod 700 "$DIR/ca" "$DIR/tls" "$DIR/auth" "$POLYARCH_STATE_DIR/secrets"
  if [ ! -s "$CA_KEY" ] || [ ! -s "$CA_CRT" ]; then
    say "Generating the private CA ($CA_CRT)"
    (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
      -keyout "$CA_KEY" -out "$CA_CRT" -subj "/O=Polyarch/CN=Polyarch test registry CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null)
    chmod 644 "$CA_CRT"
    rm -f "$SERVER_CRT"
  fi
  # A server certificate for the host name and the address, signed by that CA (re-made if either changed).
  if [ ! -s "$SERVER_CRT" ] || ! openssl x509 -in "$SERVER_CRT" -noout -ext subjectAltName 2>/dev/null | grep -q "IP Address:$NS_IP" \
     || ! openssl verify -CAfile "$CA_CRT" "$SERVER_CRT" >/dev/null 2>&1; then
    say "Generating the registry's server certificate (DNS:$HOSTNAME_, IP:$NS_IP)"
    local ext
    ext=$(mktemp)
    printf 'subjectAltName=DNS:%s,IP:%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' \
      "$HOSTNAME_" "$NS_IP" >"$ext"
    (umask 077 && openssl req -new -newkey rsa:2048 -nodes -keyout "$SERVER_KEY" -out "$DIR/tls/server.csr" \
      -subj "/O=Polyarch/CN=$HOSTNAME_" 2>/dev/null \
      && openssl x509 -req -sha256 -days 825 -in "$DIR/tls/server.csr" -CA "$CA_CRT" -CAkey "$CA_KEY" \
        -CAcreateserial -out "$SERVER_CRT" -extfile "$ext" 2>/dev/null)
    rm -f "$ext" "$DIR/tls/server.csr"
    chmod 644 "$SERVER_CRT"
  fi
  if [ ! -s "$PASSWORD_FILE" ]; then
    say "Generating the registry password ($PASSWORD_FILE)"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$PASSWORD_FILE")
    rm -f "$HTPASSWD"
  fi
  if [ ! -s "$HTPASSWD" ] || ! htpasswd -vbB "$HTPASSWD" "$USER_" "$(cat "$PASSWORD_FILE")" >/dev/null 2>&1; then
    ensure_htpasswd_tool
    say "Writing $HTPASSWD (bcrypt)"
    (umask 077 && htpasswd -nbB "$USER_" "$(cat "$PASSWORD_FILE")" | head -1 >"$HTPASSWD")
  fi
  chmod 600 "$CA_KEY" "$SERVER_KEY" "$HTPASSWD" "$PASSWORD_FILE"
}

# --- registries ---------------------------------------------------------------------------------

tls_answers() {
  # 401 without credentials is the answer of a running registry with auth.
  [ "$(curl -sS --max-time 2 -o /dev/null -w '%{http_code}' --cacert "$CA_CRT" \
        --resolve "$HOSTNAME_:$TLS_PORT:$NS_IP" "https://$HOSTNAME_:$TLS_PORT/v2/" 2>/dev/null)" = 401 ]
}

plain_answers() {
  curl -fsS --max-time 2 -o /dev/null "http://$NS_IP:$PLAIN_PORT/v2/" 2>/dev/null
}

# start NAME CHECK ENV...: run scripts/registry.sh inside the namespace with ENV, pid file in run/.
start() {
  local name=$1 check=$2; shift 2
  if $check; then return 0; fi
  if pid_alive "$RUN_DIR/$name.pid"; then stop_pidfile "$name"; fi
  local port=$TLS_PORT
  [ "$name" = private-registry-plain ] && port=$PLAIN_PORT
  mkdir -p "$DIR/data-$port"
  say "Starting $name on $NS_IP:$port (log: $LOG_DIR/$name.log)"
  # setsid: the registry and ip netns exec form one process group that `down` stops together.
  setsid ip netns exec "$NS" env POLYARCH_REGISTRY_ANY_INTERFACE=1 "$@" \
    "$POLYARCH_ROOT/scripts/registry.sh" "$NS_IP:$port" "$DIR/data-$port" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
  wait_until 30 "$name" $check \
    || die "$name did not answer on $NS_IP:$port within 30 s; see $LOG_DIR/$name.log" 3
}

stop_pidfile() {
  local name=$1 file="$RUN_DIR/$1.pid" pid
  pid_alive "$file" || { rm -f "$file"; return 0; }
  pid=$(cat "$file")
  say "Stopping $name (pid $pid)"
  as_root kill -TERM -- "-$pid" 2>/dev/null || as_root kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 10))
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && as_root kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$file"
}

# --- status / env -------------------------------------------------------------------------------

status() {
  local bad=0
  if ip link show "$VETH_HOST" >/dev/null 2>&1 && ip netns list | grep -qw "^$NS"; then
    printf 'network    ok       namespace %s, %s ↔ %s\n' "$NS" "$HOST_IP" "$NS_IP"
  else
    printf 'network    missing  namespace %s / veth %s\n' "$NS" "$VETH_HOST"; bad=1
  fi
  if grep -q "^$NS_IP $HOSTNAME_ " /etc/hosts; then printf 'hosts      ok       %s → %s\n' "$HOSTNAME_" "$NS_IP"
  else printf 'hosts      missing  %s in /etc/hosts\n' "$HOSTNAME_"; bad=1; fi
  if [ -s "$CA_CRT" ] && tls_answers; then
    printf 'tls        ok       https://%s:%s/v2/ (CA %s, user %s)\n' "$HOSTNAME_" "$TLS_PORT" "$CA_CRT" "$USER_"
  else
    printf 'tls        missing  https://%s:%s/v2/ does not answer 401\n' "$HOSTNAME_" "$TLS_PORT"; bad=1
  fi
  if plain_answers; then printf 'plain      ok       http://%s:%s/v2/\n' "$HOSTNAME_" "$PLAIN_PORT"
  else printf 'plain      missing  http://%s:%s/v2/ does not answer\n' "$HOSTNAME_" "$PLAIN_PORT"; bad=1; fi
  return $bad
}

print_env() {
  cat <<EOF
POLYARCH_PRIVATE_REGISTRY=$HOSTNAME_:$TLS_PORT
POLYARCH_PRIVATE_REGISTRY_PLAIN=$HOSTNAME_:$PLAIN_PORT
POLYARCH_PRIVATE_REGISTRY_ADDRESS=$NS_IP
POLYARCH_PRIVATE_REGISTRY_CA=$CA_CRT
POLYARCH_PRIVATE_REGISTRY_USER=$USER_
POLYARCH_PRIVATE_REGISTRY_PASSWORD_FILE=$PASSWORD_FILE
EOF
}

# --- main ---------------------------------------------------------------------------------------

cmd=${1:-status}
mkdir -p "$RUN_DIR" "$LOG_DIR"
case "$cmd" in
  up)
    [ -x /usr/bin/docker-registry ] || die "docker-registry is not installed; run scripts/host.sh up first" 3
    command -v openssl >/dev/null 2>&1 || die "openssl is not installed (apt-get install openssl)" 3
    net_up
    ensure_secrets
    # A certificate or password made after the registry started: restart it so it serves the new one.
    signature=$(cat "$SERVER_CRT" "$HTPASSWD" | sha256sum | cut -c1-16)
    if [ "$(cat "$RUN_DIR/private-registry-tls.signature" 2>/dev/null)" != "$signature" ]; then
      stop_pidfile private-registry-tls
    fi
    start private-registry-tls tls_answers \
      REGISTRY_HTTP_TLS_CERTIFICATE="$SERVER_CRT" REGISTRY_HTTP_TLS_KEY="$SERVER_KEY" \
      REGISTRY_AUTH=htpasswd REGISTRY_AUTH_HTPASSWD_REALM="Polyarch private registry" REGISTRY_AUTH_HTPASSWD_PATH="$HTPASSWD" \
      REGISTRY_HTTP_SECRET=polyarch-private-upload-state
    echo "$signature" >"$RUN_DIR/private-registry-tls.signature"
    start private-registry-plain plain_answers REGISTRY_HTTP_SECRET=polyarch-plain-upload-state
    status
    ;;
  down)
    stop_pidfile private-registry-tls
    stop_pidfile private-registry-plain
    rm -f "$RUN_DIR/private-registry-tls.signature"
    net_down
    ;;
  status)
    status
    ;;
  env)
    print_env
    ;;
  *)
    die "unknown command '$cmd'; use: scripts/private-registry.sh up | status | env | down" 2
    ;;
esac
