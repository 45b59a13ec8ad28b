# shellcheck shell=bash
# Shared settings and helpers for Polyarch's scripts. Sourced, never run.
# Defaults follow docs/conventions: state under $POLYARCH_STATE_DIR, registry on 127.0.0.1:5000.

POLYARCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
POLYARCH_STATE_DIR="${POLYARCH_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/polyarch}"
POLYARCH_REGISTRY="${POLYARCH_REGISTRY:-127.0.0.1:5000}"
POLYARCH_PLATFORMS="${POLYARCH_PLATFORMS:-linux/amd64,linux/arm64,linux/ppc64le}"

# The engine's own client: /usr/local/bin/docker may be a different (newer) client first on PATH.
DOCKER="${POLYARCH_DOCKER:-/usr/bin/docker}"
[ -x "$DOCKER" ] || DOCKER="$(command -v docker || echo /usr/bin/docker)"

RUN_DIR="$POLYARCH_STATE_DIR/run"
LOG_DIR="$POLYARCH_STATE_DIR/logs"

# private_log FILE: FILE's directory 0700 and FILE 0600 (created empty if missing, tightened if an older version
# left it 0644), then prints FILE — use it where a log is opened: >>"$(private_log "$LOG_DIR/x.log")". Logs show
# what services did with whose requests; they are nobody else's business (and must never hold a secret either).
private_log() {
  local dir; dir=$(dirname "$1")
  mkdir -p "$dir" && chmod 700 "$dir"
  (umask 077 && : >>"$1") && chmod 600 "$1"
  printf '%s\n' "$1"
}

# private_log_dir [DIR]: creates DIR (default $LOG_DIR) 0700 and makes every log already in it 0600.
private_log_dir() {
  local dir=${1:-$LOG_DIR}
  mkdir -p "$dir" && chmod 700 "$dir"
  find "$dir" -maxdepth 1 -type f ! -perm 600 -exec chmod 600 {} +
}

say()  { printf '\033[1m==>\033[0m %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$1" >&2; exit "${2:-1}"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "'$*' needs root and sudo is not installed; run this script as root." 3
  fi
}

# registry_host_is_loopback: the registry must never listen beyond loopback unless asked.
registry_host_is_loopback() {
  case "${POLYARCH_REGISTRY%:*}" in
    127.*|localhost|'[::1]') return 0 ;;
    *) return 1 ;;
  esac
}

docker_answers() { "$DOCKER" info >/dev/null 2>&1; }

registry_answers() {
  curl -fsS --max-time 2 -o /dev/null "http://$POLYARCH_REGISTRY/v2/" 2>/dev/null
}

# pid_alive FILE: the pid in FILE belongs to a live process.
pid_alive() {
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# wait_until SECONDS DESCRIPTION COMMAND...: poll COMMAND every 0.2 s.
wait_until() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

# dotnet_publish_cli PROJECT OUT LOG: a Release publish for this machine's runtime with ReadyToRun code, so a one-shot
# CLI verb (`polyarch-builder manifest inspect`, `build`) does not JIT everything it runs at every start (issue 18:
# measured ≈ 15–20 % less CPU per `manifest inspect`). Framework-dependent, like a plain publish. For polyarch-builder
# also its native companion polyarch-builder-manifest (dotnet_publish_aot), which the CLI execs for `manifest …` and for
# `build` (it hands the build to the running `serve`, or back to the CLI when none answers); without it (no clang, no AOT
# compiler for this architecture) those verbs run in the managed CLI, only slower.
dotnet_publish_cli() {
  local rid
  rid=$(dotnet_rid)
  # An earlier install's front door is a link to the native tool: the publish would write the apphost through it.
  [ -L "$2/polyarch-builder" ] && rm -f "$2/polyarch-builder"
  rm -f "$2/polyarch-builder-managed"
  if [ -n "$rid" ]; then
    dotnet publish "$1" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$2" --nologo -v quiet >"$3" 2>&1 || return 1
  else
    # No ReadyToRun compiler for this architecture (e.g. ppc64le has no runtime pack): a plain publish.
    dotnet publish "$1" -c Release -o "$2" --nologo -v quiet >"$3" 2>&1 || return 1
  fi
  local dir=$1
  [ -f "$dir" ] && dir=$(dirname "$dir")
  [ "$(basename "$dir")" = Polyarch.Builder ] || return 0
  rm -f "$2/polyarch-builder-manifest"
  if dotnet_publish_aot "$dir/../Polyarch.Builder.ManifestTool" "$rid" "$2" "$3"; then
    arrange_front_door "$2"
  else
    warn "polyarch-builder-manifest (Native AOT) not published: \`polyarch-builder manifest …\` and \`build\` run in the managed CLI, slower (log: $3)"
  fi
  return 0
}

# arrange_front_door DIR: make the native tool the command users run — `polyarch-builder` becomes a link to
# polyarch-builder-manifest and the managed CLI's apphost polyarch-builder-managed (it finds polyarch-builder.dll by its
# own recorded name) — so a one-shot `build` or `manifest …` never starts the .NET runtime (issue 18, P4/P5: ≈ 40 ms of a
# hand-off's 50); the native tool execs every other verb on to polyarch-builder-managed.
arrange_front_door() {
  [ -x "$1/polyarch-builder-manifest" ] && [ -f "$1/polyarch-builder" ] && [ ! -L "$1/polyarch-builder" ] || return 0
  mv -f "$1/polyarch-builder" "$1/polyarch-builder-managed"
  ln -s polyarch-builder-manifest "$1/polyarch-builder"
}

# dotnet_rid: this machine's .NET runtime identifier, empty where Microsoft ships no runtime pack (ppc64le).
dotnet_rid() {
  case "$(uname -m)" in x86_64) echo linux-x64 ;; aarch64|arm64) echo linux-arm64 ;; *) echo "" ;; esac
}

# native_cc: the clang the Native AOT linker step uses (Debian 12 has clang-14 without the plain `clang` name unless the
# `clang` package is installed); fails when there is none.
native_cc() {
  local cc
  if command -v clang >/dev/null 2>&1; then echo clang; return 0; fi
  cc=$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -1)
  [ -n "$cc" ] && echo "$cc"
}

# dotnet_publish_aot PROJECT RID OUT LOG: a Native AOT publish of PROJECT for RID (this machine's: no cross linker here),
# its executable copied into OUT (symbols, docs and the libraries' files stay behind). Appends to LOG.
dotnet_publish_aot() {
  local project=$1 rid=$2 out=$3 log=$4 cc tmp name
  [ -n "$rid" ] || { echo "no Native AOT compiler for $(uname -m)" >>"$log"; return 1; }
  cc=$(native_cc) || { echo "no clang on PATH (apt-get install clang): Native AOT needs it to link" >>"$log"; return 1; }
  tmp=$(mktemp -d /tmp/polyarch-aot-XXXXXX)
  name=$(sed -n 's:.*<AssemblyName>\(.*\)</AssemblyName>.*:\1:p' "$project"/*.csproj | head -1)
  if dotnet publish "$project" -c Release -r "$rid" -p:CppCompilerAndLinker="$cc" -p:GenerateDocumentationFile=false \
      -o "$tmp" --nologo -v quiet >>"$log" 2>&1 && [ -x "$tmp/$name" ]; then
    cp "$tmp/$name" "$out/$name"
    rm -rf "$tmp"
    return 0
  fi
  rm -rf "$tmp"
  return 1
}
