#!/usr/bin/env bash
# Runs one CNCF distribution registry in the foreground: scripts/registry.sh ADDR STORAGE_DIR [CONFIG]
# Used by scripts/host.sh (the host's registry) and by the test fixture (one registry per test
# collection). ADDR must be a loopback address: registries here never listen on another interface.
#
# Notifications: when POLYARCH_NOTIFY_URL and POLYARCH_NOTIFY_TOKEN_FILE are set, the registry posts its
# events to that URL with "Authorization: Bearer <token>" (the invoker's registry webhook). The config
# with the token is rendered next to the storage directory with mode 0600 and never committed, and the
# registry's output passes through scripts/lib/redact.awk before it reaches any log: distribution 2.8 prints
# each endpoint's headers — the token — at start-up ("configuring endpoint …", registry/handlers/app.go,
# at level info) and has no setting to leave them out. Raising log.level to warn would hide that line but also
# every other info line, and the token would be back the day someone sets level debug to find a problem; a
# filter on the stream keeps it out of the log at every level.
set -euo pipefail
addr=${1:?usage: registry.sh ADDR STORAGE_DIR [CONFIG]}
storage=${2:?usage: registry.sh ADDR STORAGE_DIR [CONFIG]}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
config=${3:-"$(cd "$here/.." && pwd)/registry/distribution/config.yml"}
case "${addr%:*}" in
  127.*|localhost|'[::1]') ;;
  *) [ "${POLYARCH_REGISTRY_ANY_INTERFACE:-}" = 1 ] || { echo "error: registry address $addr is not loopback; set POLYARCH_REGISTRY_ANY_INTERFACE=1 to allow it" >&2; exit 2; } ;;
esac
mkdir -p "$storage"

if [ -n "${POLYARCH_NOTIFY_URL:-}" ]; then
  token_file=${POLYARCH_NOTIFY_TOKEN_FILE:?POLYARCH_NOTIFY_TOKEN_FILE must name the file holding the webhook token}
  [ -s "$token_file" ] || { echo "error: notification token file $token_file is missing or empty; run scripts/host.sh up" >&2; exit 2; }
  rendered="$(dirname "$storage")/config.rendered.yml"
  umask 077
  {
    cat "$config"
    cat <<YAML
notifications:
  events:
    includereferences: true
  endpoints:
    - name: polyarch-invoker
      url: ${POLYARCH_NOTIFY_URL}
      headers:
        Authorization: [Bearer $(cat "$token_file")]
      timeout: 2s
      threshold: 5
      backoff: 2s
      ignoredmediatypes:
        - application/octet-stream
      ignore:
        actions:
          - pull
YAML
  } >"$rendered"
  config="$rendered"
fi

export REGISTRY_HTTP_ADDR="$addr"
export REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$storage"
# A stable secret keeps upload sessions valid across restarts; it is not a credential.
export REGISTRY_HTTP_SECRET="${REGISTRY_HTTP_SECRET:-polyarch-local-upload-state}"
if [ -n "${token_file:-}" ]; then
  # mawk (Debian's awk) reads a pipe in blocks unless told otherwise; lines must reach the log as they come.
  awk_flags=()
  case "$(awk -W version 2>&1)" in *mawk*) awk_flags=(-W interactive) ;; esac
  exec > >(exec awk "${awk_flags[@]}" -v "secret_file=$token_file" -f "$here/lib/redact.awk") 2>&1
fi
exec /usr/bin/docker-registry serve "$config"
