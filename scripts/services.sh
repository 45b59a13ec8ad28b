#!/usr/bin/env bash
# Runs Polyarch's two services in the background: scripts/services.sh up|down|status
#   polyarch-builder serve  on http://127.0.0.1:5080  (git webhooks → builds)
#   polyarch-invoker serve  on http://127.0.0.1:5090  (registry webhook → rules → activations; REST API)
# Binaries are published once into $POLYARCH_STATE_DIR/bin/<service> (again when the sources change);
# pid files go to $POLYARCH_STATE_DIR/run, logs to $POLYARCH_STATE_DIR/logs. `up` is idempotent and waits
# for each service's /readyz. Settings come from POLYARCH_* variables (e.g. POLYARCH_Builder__Allowlist__…).
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

BUILDER_URL="${POLYARCH_BUILDER_URL:-http://127.0.0.1:5080}"
INVOKER_URL="${POLYARCH_INVOKER_URL:-http://127.0.0.1:5090}"
# The quickstart's git daemon serves $POLYARCH_STATE_DIR/git on git://127.0.0.1:9418; pushes there build into demo/<name>.
: "${POLYARCH_Builder__Allowlist__0__UrlPattern:=git://127.0.0.1:9418/*}"
: "${POLYARCH_Builder__Allowlist__0__Repository:=demo/{name\}}"
export POLYARCH_Builder__Allowlist__0__UrlPattern POLYARCH_Builder__Allowlist__0__Repository
# The REST APIs need their keys (secrets/invoker-api.key, secrets/builder-api.key, generated 0600 on first
# start); webhooks keep their own secrets (secrets/registry-webhook.token, builder/webhook-secret).
: "${POLYARCH_Service__RequireApiKey:=true}"
export POLYARCH_Service__RequireApiKey
# The invoker acts only on pushes to the registries it is configured for (Triggers:DefaultRegistry and those rules
# name); the registry the scripts run is that default.
: "${POLYARCH_Triggers__DefaultRegistry:=$POLYARCH_REGISTRY}"
export POLYARCH_Triggers__DefaultRegistry
export POLYARCH_STATE_DIR

project_of() { case $1 in builder) echo "$POLYARCH_ROOT/builder/Polyarch.Builder/Polyarch.Builder.csproj" ;; invoker) echo "$POLYARCH_ROOT/invoker/Polyarch.Invoker/Polyarch.Invoker.csproj" ;; esac; }
url_of() { case $1 in builder) echo "$BUILDER_URL" ;; invoker) echo "$INVOKER_URL" ;; esac; }

# sources_stamp SERVICE: a hash of the sources the service is built from (its project, registry/, root props) and of
# how it is published (a binary published an older way — without ReadyToRun, without the AOT manifest tool — is published again).
PUBLISH_KIND=readytorun-aot-2
sources_stamp() {
  (cd "$POLYARCH_ROOT" && { find "$1" registry Directory.Build.props Directory.Packages.props \
      -path '*/bin' -prune -o -path '*/obj' -prune -o -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' \) -print0 \
    | sort -z | xargs -0 sha256sum; echo "$PUBLISH_KIND"; } | sha256sum | cut -c1-16)
}

publish() {
  local service=$1 out="$POLYARCH_STATE_DIR/bin/$1" stamp
  stamp=$(sources_stamp "$service")
  if [ -x "$out/polyarch-$service" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  say "Publishing polyarch-$service → $out (first run or changed sources; takes a few minutes on 2 cores)"
  dotnet_publish_cli "$(project_of "$service")" "$out" "$(private_log "$LOG_DIR/publish-$service.log")" \
    || die "publishing polyarch-$service failed; see $LOG_DIR/publish-$service.log" 1
  echo "$stamp" >"$out/.stamp"
}

ready() { curl -fsS --max-time 2 -o /dev/null "$(url_of "$1")/readyz" 2>/dev/null; }

start() {
  local service=$1 pidfile="$RUN_DIR/$1.pid" log="$LOG_DIR/$1.log"
  if pid_alive "$pidfile" && ready "$service" && [ "$(cat "$RUN_DIR/$service.stamp" 2>/dev/null)" = "$(sources_stamp "$service")" ]; then
    info "polyarch-$service already running (pid $(cat "$pidfile")) on $(url_of "$service")"
    return 0
  fi
  if pid_alive "$pidfile"; then stop "$service"; fi
  publish "$service"
  mkdir -p "$RUN_DIR"
  private_log "$log" >/dev/null
  say "Starting polyarch-$service on $(url_of "$service") (log: $log)"
  # The service writes $log itself and rotates it (ServiceLog:*: 10 MiB × 5 files); its console (warnings and
  # errors only, and whatever a crash prints) goes to $service.console.log.
  POLYARCH_Service__RequireApiKey="$POLYARCH_Service__RequireApiKey" POLYARCH_ServiceLog__Path="$log" \
    nohup "$POLYARCH_STATE_DIR/bin/$service/polyarch-$service" serve --urls "$(url_of "$service")" >>"$LOG_DIR/$service.console.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  cat "$POLYARCH_STATE_DIR/bin/$service/.stamp" >"$RUN_DIR/$service.stamp"
  wait_until 60 "polyarch-$service /readyz" ready "$service" \
    || die "polyarch-$service did not become ready within 60 s; see $log" 3
}

stop() {
  local service=$1 pidfile="$RUN_DIR/$1.pid"
  if pid_alive "$pidfile"; then
    local pid; pid=$(cat "$pidfile")
    say "Stopping polyarch-$service (pid $pid)"
    kill -INT "$pid" 2>/dev/null || true
    wait_until 20 "polyarch-$service to stop" bash -c "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

status() {
  local service rc=0
  for service in builder invoker; do
    if pid_alive "$RUN_DIR/$service.pid" && ready "$service"; then
      info "polyarch-$service: ready on $(url_of "$service") (pid $(cat "$RUN_DIR/$service.pid"), log $LOG_DIR/$service.log)"
    else
      info "polyarch-$service: not running"; rc=1
    fi
  done
  return $rc
}

case "${1:-}" in
  up) start invoker; start builder; status ;;
  down)
    stop builder; stop invoker
    # The quickstart's git daemon (git://127.0.0.1:9418) is part of the same demo set-up.
    if pid_alive "$RUN_DIR/git-daemon.pid"; then
      say "Stopping git daemon (pid $(cat "$RUN_DIR/git-daemon.pid"))"
      kill "$(cat "$RUN_DIR/git-daemon.pid")" 2>/dev/null || true
    fi
    rm -f "$RUN_DIR/git-daemon.pid"
    ;;
  status) status ;;
  *) die "usage: scripts/services.sh up|down|status" 2 ;;
esac
