#!/usr/bin/env bash
# Runs one CNCF distribution registry in the foreground: scripts/registry.sh ADDR STORAGE_DIR [CONFIG]
# Used by scripts/host.sh (the host's registry) and by the test fixture (one registry per test
# collection). ADDR must be a loopback address: registries here never listen on another interface.
set -euo pipefail
addr=${1:?usage: registry.sh ADDR STORAGE_DIR [CONFIG]}
storage=${2:?usage: registry.sh ADDR STORAGE_DIR [CONFIG]}
config=${3:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/registry/distribution/config.yml"}
case "${addr%:*}" in
  127.*|localhost|'[::1]') ;;
  *) [ "${POLYARCH_REGISTRY_ANY_INTERFACE:-}" = 1 ] || { echo "error: registry address $addr is not loopback" >&2; exit 2; } ;;
esac
mkdir -p "$storage"
export REGISTRY_HTTP_ADDR="$addr"
export REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$storage"
# A stable secret keeps upload sessions valid across restarts; it is not a credential.
export REGISTRY_HTTP_SECRET="${REGISTRY_HTTP_SECRET:-polyarch-local-upload-state}"
exec /usr/bin/docker-registry serve "$config"
