#!/usr/bin/env bash
# Polyarch quickstart, the whole flow: git push → build of three platforms → registry webhook → rule → three
# activations. Idempotent: every run commits something new and pushes it again.
#   1. the container host (engine, buildx, QEMU, registry with its webhook to the invoker)   scripts/host.sh up
#   2. polyarch-builder (127.0.0.1:5080) and polyarch-invoker (127.0.0.1:5090)              scripts/services.sh up
#   3. a bare git repository $POLYARCH_STATE_DIR/git/echo.git with scripts/post-receive, served read-only by
#      git daemon on git://127.0.0.1:9418 (the URL the builder clones), and a work tree with examples/echo
#   4. the rule "on a push of demo/echo:latest run the pushed image on all its platforms"
#   5. git push → the hook asks the builder to build → the registry notifies the invoker → three activations
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
export POLYARCH_STATE_DIR

INVOKER_URL="${POLYARCH_INVOKER_URL:-http://127.0.0.1:5090}"
BUILDER_URL="${POLYARCH_BUILDER_URL:-http://127.0.0.1:5080}"
GIT_ROOT="$POLYARCH_STATE_DIR/git"
BARE="$GIT_ROOT/echo.git"
WORK="$POLYARCH_STATE_DIR/quickstart/echo"
GIT_URL="git://127.0.0.1:9418/echo.git"

"$POLYARCH_ROOT/scripts/host.sh" up
"$POLYARCH_ROOT/scripts/services.sh" up

say "Git: $BARE (post-receive hook) served on $GIT_URL"
mkdir -p "$GIT_ROOT" "$RUN_DIR"
private_log_dir
if [ ! -d "$BARE" ]; then
  git init --quiet --bare --initial-branch=main "$BARE"
fi
install -m 0755 "$POLYARCH_ROOT/scripts/post-receive" "$BARE/hooks/post-receive"
git -C "$BARE" config polyarch.url "$GIT_URL"
git -C "$BARE" config polyarch.builder "$BUILDER_URL"
if ! pid_alive "$RUN_DIR/git-daemon.pid"; then
  git daemon --reuseaddr --listen=127.0.0.1 --port=9418 --base-path="$GIT_ROOT" --export-all \
    --pid-file="$RUN_DIR/git-daemon.pid" --detach --log-destination=stderr "$GIT_ROOT" 2>>"$(private_log "$LOG_DIR/git-daemon.log")"
  wait_until 10 "git daemon" git ls-remote "$GIT_URL" >/dev/null 2>&1 || true
fi

# The invoker's API key (never printed); curl reads the header from a 0600 file, not from its arguments.
key_file="$POLYARCH_STATE_DIR/secrets/invoker-api.key"
[ -s "$key_file" ] || die "$key_file is missing; scripts/services.sh up creates it when polyarch-invoker starts" 3
auth_header="$RUN_DIR/invoker-auth.header"
(umask 077 && printf 'Authorization: Bearer %s\n' "$(cat "$key_file")" >"$auth_header")
invoker() { curl -fsS -H "@$auth_header" "$@"; }
builder_key_file="$POLYARCH_STATE_DIR/secrets/builder-api.key"
builder_header="$RUN_DIR/builder-auth.header"
if [ -s "$builder_key_file" ]; then
  (umask 077 && printf 'Authorization: Bearer %s\n' "$(cat "$builder_key_file")" >"$builder_header")
else
  : >"$builder_header"
fi
builder_api() { curl -fsS -H "@$builder_header" "$@"; }

say "Rule: a push of demo/echo:latest runs the pushed image on all its platforms"
invoker -X PUT -H 'Content-Type: application/json' "$INVOKER_URL/v1/rules/quickstart-echo" \
  --data '{"repository":"demo/echo","tag":"latest","platforms":["all"],"params":{"hello":"polyarch"}}' >/dev/null \
  || die "could not create the rule at $INVOKER_URL; see $LOG_DIR/invoker.log" 3

if [ ! -d "$WORK/.git" ]; then
  mkdir -p "$WORK"
  git -C "$WORK" init --quiet --initial-branch=main
  git -C "$WORK" remote add origin "$BARE"
fi
rm -rf "$WORK/action" && cp -R "$POLYARCH_ROOT/examples/echo/." "$WORK/"
date -u +%Y-%m-%dT%H:%M:%SZ >"$WORK/BUILT_AT"   # a new commit on every run
git -C "$WORK" add -A
git -C "$WORK" -c user.name=Polyarch -c user.email=quickstart@polyarch.invalid commit --quiet -m "quickstart $(cat "$WORK/BUILT_AT")"
commit=$(git -C "$WORK" rev-parse HEAD)
say "git push (commit ${commit:0:12})"
push_started=$(date +%s)
git -C "$WORK" push --quiet origin main 2>&1 | sed 's/^/    /'

say "Waiting for the build of ${commit:0:12}"
build=""
for _ in $(seq 1 900); do
  build=$(builder_api "$BUILDER_URL/v1/builds?limit=20" 2>/dev/null \
    | jq -c --arg c "$commit" '[.[] | select(.request.commit == $c)] | first // empty' || true)
  status=$(jq -r '.status // empty | tostring | ascii_downcase' <<<"$build" 2>/dev/null || true)
  case "$status" in succeeded) break ;; failed|superseded) die "build $(jq -r .id <<<"$build") $status: $(jq -c .error <<<"$build")" 1 ;; esac
  sleep 1
done
[ -n "$build" ] || die "no build of ${commit:0:12} appeared at $BUILDER_URL; see $LOG_DIR/builder.log" 1
index=$(jq -r '.images[0].indexDigest' <<<"$build")
info "build $(jq -r .id <<<"$build"): $(jq -r '.status' <<<"$build"), $(jq -r '.images[0].registry + "/" + .images[0].repository' <<<"$build")@$index"
info "tags: $(jq -r '.images[0].tags | join(", ")' <<<"$build")"
jq -r '.images[0].platforms[] | "    variant \(.platform)  \(.digest)"' <<<"$build" 2>/dev/null || true

say "Waiting for the rule's activations (registry webhook → invoker)"
ids=""
for _ in $(seq 1 600); do
  ids=$(invoker "$INVOKER_URL/v1/firings" | jq -r --arg d "$index" '.[] | select(.rule == "quickstart-echo" and .digest == $d) | .activations[].activationId' || true)
  if [ -n "$ids" ]; then
    done_count=0
    for id in $ids; do invoker -o /dev/null "$INVOKER_URL/v1/activations/$id" 2>/dev/null && done_count=$((done_count + 1)); done
    [ "$done_count" -eq "$(wc -w <<<"$ids")" ] && break
  fi
  sleep 1
done
[ -n "$ids" ] || die "the invoker did not fire rule quickstart-echo for $index; see $LOG_DIR/invoker.log" 1

printf '\n    %-14s %-20s %-5s %8s  %-8s %s\n' PLATFORM "CHILD DIGEST" START DURATION STATUS RESULT
for id in $ids; do
  record=$(invoker "$INVOKER_URL/v1/activations/$id") || { printf '    %-14s (activation %s not finished)\n' "?" "$id"; continue; }
  jq -r '[.platform, ((.childDigest // "") | .[0:19]), (if .cold then "cold" else "warm" end),
          "\((.waitMs + .initMs + .runMs))ms", .status, (.result | tojson)] | @tsv' <<<"$record" \
    | awk -F'\t' '{printf "    %-14s %-20s %-5s %8s  %-8s %s\n", $1, $2, $3, $4, $5, $6}'
done
info ""
info "git push → three answers in $(( $(date +%s) - push_started )) s"

say "Running"
info "registry          http://$POLYARCH_REGISTRY"
info "polyarch-builder  $BUILDER_URL   (log $LOG_DIR/builder.log)"
info "polyarch-invoker  $INVOKER_URL   (log $LOG_DIR/invoker.log; rules: polyarch-invoker rules list)"
info "git               $GIT_URL        (push to $BARE)"
info "Run this script again to push a new commit; stop the services and the git daemon with: scripts/services.sh down"
