#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for Polyarch's shared store (Store:Provider=postgres), from Debian's package.
#
#   scripts/postgres.sh up       install what is missing, create the cluster once, start it (idempotent)
#   scripts/postgres.sh status   report it; exit 1 if it does not answer
#   scripts/postgres.sh down     stop it if `up` started it
#
# The cluster lives in $POLYARCH_STATE_DIR/postgres (data/, the unix socket, postgres.log), owned by the
# `postgres` user (initdb and the server refuse to run as root), and listens on 127.0.0.1 only, on
# $POLYARCH_POSTGRES_PORT (default 5433, so Debian's own `main` cluster on 5432 is never in the way).
# The superuser `polyarch` gets a generated password; the connection string the services read is written to
# secrets/postgres.connection (0600): Host=127.0.0.1;Port=5433;Database=polyarch;Username=polyarch;Password=….
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

PG_VERSION=15
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
PG_PORT="${POLYARCH_POSTGRES_PORT:-5433}"
PG_DIR="$POLYARCH_STATE_DIR/postgres"
PG_DATA="$PG_DIR/data"
SECRETS="$POLYARCH_STATE_DIR/secrets"
PASSWORD_FILE="$SECRETS/postgres.password"
CONNECTION_FILE="$SECRETS/postgres.connection"

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres -- "$@"
  fi
}

pg_answers() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1; }

install() {
  apt_install default "$PG_BIN/initdb" "postgresql-$PG_VERSION" postgresql-client-$PG_VERSION
  # setfacl: lets the postgres user through the directories above its own (e.g. /root, 0700) without opening them.
  apt_install default /usr/bin/setfacl acl
}

# The postgres user must be able to reach $PG_DIR. Give it traverse-only (x) ACL entries on the ancestors it
# cannot pass today; nobody else gains anything and nothing becomes readable.
grant_traverse() {
  local dir=$PG_DIR parents=()
  while dir=$(dirname "$dir") && [ "$dir" != / ]; do parents=("$dir" "${parents[@]}"); done
  for dir in "${parents[@]}"; do
    as_postgres test -x "$dir" 2>/dev/null && continue
    say "Letting the postgres user traverse $dir (ACL u:postgres:--x)"
    as_root setfacl -m u:postgres:x "$dir" \
      || die "cannot give the postgres user traverse permission on $dir; move POLYARCH_STATE_DIR somewhere it can reach" 3
  done
}

ensure_password() {
  mkdir -p "$SECRETS" && chmod 700 "$SECRETS"
  if [ ! -s "$PASSWORD_FILE" ]; then
    say "Generating the PostgreSQL password ($PASSWORD_FILE)"
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$PASSWORD_FILE")
  fi
  (umask 077 && printf 'Host=127.0.0.1;Port=%s;Database=polyarch;Username=polyarch;Password=%s\n' \
    "$PG_PORT" "$(cat "$PASSWORD_FILE")" >"$CONNECTION_FILE.tmp") && mv -f "$CONNECTION_FILE.tmp" "$CONNECTION_FILE"
  chmod 600 "$PASSWORD_FILE" "$CONNECTION_FILE"
}

init_cluster() {
  [ -s "$PG_DATA/PG_VERSION" ] && return 0
  grant_traverse
  as_root mkdir -p "$PG_DIR"
  as_root chown postgres:postgres "$PG_DIR"
  as_root chmod 700 "$PG_DIR"
  say "Creating the PostgreSQL cluster in $PG_DATA"
  # initdb reads the password from a file (never a command line); the postgres user cannot open a root-owned file
  # or pipe, so the copy sits in its own 0700 directory, 0600, for the duration of initdb.
  local pwfile="$PG_DIR/.initdb-password" ok=1
  as_postgres sh -c 'umask 077 && cat >"$1"' sh "$pwfile" <"$PASSWORD_FILE"
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U polyarch --pwfile="$pwfile" -A scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$(private_log "$LOG_DIR/postgres-initdb.log")" 2>&1 || ok=0
  as_root rm -f "$pwfile"
  [ $ok -eq 1 ] \
    || die "initdb failed; see $LOG_DIR/postgres-initdb.log" 3
}

start() {
  if pg_answers; then
    [ -s "$PG_DATA/postmaster.pid" ] || warn "something else answers on 127.0.0.1:$PG_PORT; set POLYARCH_POSTGRES_PORT to a free port"
    return 0
  fi
  grant_traverse
  say "Starting PostgreSQL $PG_VERSION on 127.0.0.1:$PG_PORT (data: $PG_DATA, log: $PG_DIR/postgres.log)"
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR" start >/dev/null \
    || die "PostgreSQL did not start; see $PG_DIR/postgres.log (is 127.0.0.1:$PG_PORT taken?)" 3
  touch "$RUN_DIR/postgres.started"
}

ensure_database() {
  local exists
  exists=$(PGPASSWORD=$(cat "$PASSWORD_FILE") "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U polyarch -d postgres -tAq \
    -c "SELECT 1 FROM pg_database WHERE datname = 'polyarch'") \
    || die "cannot log in to PostgreSQL on 127.0.0.1:$PG_PORT as polyarch with $PASSWORD_FILE; if the cluster was made with another password, run 'scripts/postgres.sh down' and remove $PG_DIR" 3
  [ "$exists" = 1 ] && return 0
  PGPASSWORD=$(cat "$PASSWORD_FILE") "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U polyarch -d postgres -q \
    -c "CREATE DATABASE polyarch" >/dev/null
}

stop() {
  [ -e "$RUN_DIR/postgres.started" ] || { pg_answers && info "PostgreSQL on 127.0.0.1:$PG_PORT was not started by Polyarch; leaving it running"; return 0; }
  if [ -s "$PG_DATA/postmaster.pid" ]; then
    say "Stopping PostgreSQL on 127.0.0.1:$PG_PORT"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null || warn "pg_ctl stop failed; see $PG_DIR/postgres.log"
  fi
  rm -f "$RUN_DIR/postgres.started"
}

status() {
  if pg_answers; then
    printf 'postgres   ok       127.0.0.1:%s (PostgreSQL %s, data %s, connection string in %s)\n' \
      "$PG_PORT" "$PG_VERSION" "$PG_DATA" "$CONNECTION_FILE"
  else
    printf 'postgres   missing  127.0.0.1:%s does not answer (run: scripts/postgres.sh up)\n' "$PG_PORT"
    return 1
  fi
}

cmd=${1:-status}
mkdir -p "$RUN_DIR"
private_log_dir
case "$cmd" in
  up)
    install
    ensure_password
    init_cluster
    start
    ensure_database
    ;;
  down) stop ;;
  status) status ;;
  *) die "unknown command '$cmd'; use: scripts/postgres.sh up | status | down" 2 ;;
esac
