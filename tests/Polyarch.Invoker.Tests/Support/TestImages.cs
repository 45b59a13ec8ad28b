using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Support;

/// <summary>The images the integration tests run, built FROM the host's multi-arch busybox into the collection's registry.</summary>
internal static class TestImages
{
    public static IReadOnlyList<string> ThreePlatforms => HostSettings.Platforms;

    /// <summary>examples/echo as the repository has it.</summary>
    public static async Task<string> BuildEchoAsync(string registry)
    {
        var image = $"{registry}/demo/echo:test";
        await Buildx.BuildAndPushAsync(RepositoryRoot.Combine("examples", "echo"), image, ThreePlatforms,
            new Dictionary<string, string> { ["BASE_IMAGE"] = HostSettings.BaseImage });
        return image;
    }

    /// <summary>The echo action whose amd64 variant (only) carries io.polyarch.requires.gpu=nvidia.</summary>
    public static async Task<string> BuildGpuVariantAsync(string registry)
    {
        var files = EchoActionFiles();
        files["Dockerfile"] = $$"""
            FROM {{HostSettings.BaseImage}} AS base
            COPY --chmod=755 action/ /action/
            LABEL io.polyarch.action.protocol="http"
            USER nobody
            ENTRYPOINT ["/action/entrypoint"]
            FROM base AS variant-amd64
            LABEL io.polyarch.requires.gpu="nvidia"
            FROM base AS variant-arm64
            FROM base AS variant-ppc64le
            FROM variant-${TARGETARCH}
            """;
        var image = $"{registry}/demo/gpu-on-amd64:test";
        await Buildx.BuildAndPushAsync(Buildx.CreateContext(files), image, ThreePlatforms);
        return image;
    }

    /// <summary>An exec-protocol action that misbehaves as its params ask (crash, oom, timeout, nonjson, oversized, bigexit, forkbomb, apperror).</summary>
    public static async Task<string> BuildFaultsAsync(string registry)
    {
        var files = new Dictionary<string, string>
        {
            ["fault"] = """
                #!/bin/sh
                # A misbehaving action for the invoker's fault tests; the mode comes from the params (the last argument).
                for params; do :; done
                case "$params" in
                  *crash*) echo "crashing on purpose" >&2; exit 3 ;;
                  *oom*) echo "allocating without bound" >&2; exec tail -n 1 /dev/zero ;;
                  *timeout*) echo "sleeping past the deadline" >&2; exec sleep 600 ;;
                  *nonjson*) echo "this is not JSON" ;;
                  *bigexit*) head -c 2000000 /dev/zero | tr '\0' a; echo; exit 3 ;;
                  *oversized*) printf '{"big":"'; head -c 2000000 /dev/zero | tr '\0' a; printf '"}\n' ;;
                  *forkbomb*) echo "forking without bound" >&2; while :; do sleep 600 & done ;;
                  *apperror*) echo '{"error":"bad input"}' ;;
                  *) echo "log line before the result"; read -r stdin; echo "{\"ok\":true,\"stdin\":$stdin}" ;;
                esac
                """,
            ["Dockerfile"] = $"""
                FROM {HostSettings.BaseImage}
                COPY --chmod=755 fault /fault
                LABEL io.polyarch.action.protocol="exec"
                ENTRYPOINT ["/fault"]
                """,
        };
        var image = $"{registry}/demo/faults:test";
        await Buildx.BuildAndPushAsync(Buildx.CreateContext(files), image, ["linux/amd64"]);
        return image;
    }

    /// <summary>An http-protocol action (OpenWhisk proxy on busybox nc) whose /run misbehaves as its params ask (crash, oom, timeout).</summary>
    public static async Task<string> BuildHttpFaultsAsync(string registry)
    {
        var files = new Dictionary<string, string>
        {
            ["entrypoint"] = """
                #!/bin/sh
                # Not exec: PID 1 ignores signals, so the proxy runs as a child the handler can kill.
                nc -ll -p 8080 -e /handler
                echo "the proxy died" >&2
                exit 3
                """,
            ["handler"] = """
                #!/bin/sh
                # POST /init answers ok; POST /run misbehaves by the mode in its body.
                CR=$(printf '\r')
                respond() { printf 'HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' "$1" "${#2}" "$2"; exit 0; }
                read -r method path proto || exit 0
                length=0
                while IFS= read -r line; do
                  line=${line%"$CR"}
                  [ -z "$line" ] && break
                  case "$line" in [Cc]ontent-[Ll]ength:*) length=${line#*:}; length=${length## } ;; esac
                done
                body=""
                [ "$length" -gt 0 ] 2>/dev/null && body=$(head -c "$length")
                case "$path" in
                  /init) respond "200 OK" '{"ok":true}' ;;
                esac
                case "$body" in
                  *crash*) echo "killing the proxy" >&2; kill -9 "$PPID"; exit 1 ;;
                  *oom*) echo "allocating without bound" >&2; exec tail -n 1 /dev/zero ;;
                  *timeout*) exec sleep 600 ;;
                  *) respond "200 OK" '{"ok":true}' ;;
                esac
                """,
            ["Dockerfile"] = $"""
                FROM {HostSettings.BaseImage}
                COPY --chmod=755 entrypoint handler /
                LABEL io.polyarch.action.protocol="http"
                ENTRYPOINT ["/entrypoint"]
                """,
        };
        var image = $"{registry}/demo/http-faults:test";
        await Buildx.BuildAndPushAsync(Buildx.CreateContext(files), image, ["linux/amd64"]);
        return image;
    }

    /// <summary>
    /// The code-action test runtime (an OpenWhisk action proxy on busybox nc): /init records its body (a code
    /// containing "fail-init" answers 502 {"error": …} as a runtime does for code that does not load); /run answers
    /// {"init": the recorded /init body, "run": its own body}, then — 0.3 s after the answer, 3 s for a code containing
    /// "slow-logs" — prints a late line on stdout and stderr and OpenWhisk's end-of-activation sentinel on both.
    /// </summary>
    public static async Task<string> BuildRecorderRuntimeAsync(string registry)
    {
        var files = new Dictionary<string, string>
        {
            ["entrypoint"] = """
                #!/bin/sh
                mkdir -p /tmp
                nc -ll -p 8080 -e /handler
                """,
            ["handler"] = """
                #!/bin/sh
                # stdout is the connection: the container's stdout is PID 1's (/proc/1/fd/1).
                CR=$(printf '\r')
                respond() { printf 'HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' "$1" "${#2}" "$2"; }
                read -r method path proto || exit 0
                length=0
                while IFS= read -r line; do
                  line=${line%"$CR"}
                  [ -z "$line" ] && break
                  case "$line" in [Cc]ontent-[Ll]ength:*) length=${line#*:}; length=${length## } ;; esac
                done
                body=""
                [ "$length" -gt 0 ] 2>/dev/null && body=$(head -c "$length")
                if [ "$path" = /init ]; then
                  case "$body" in
                    *fail-init*) echo "Traceback (most recent call last): line 3" >&2
                                 respond "502 Bad Gateway" '{"error":"SyntaxError: invalid syntax (__main__.py, line 3)"}'; exit 0 ;;
                  esac
                  printf '%s' "$body" > /tmp/init.json
                  echo "initialised" > /proc/1/fd/1
                  respond "200 OK" '{"ok":true}'
                  exit 0
                fi
                id=$(printf '%s' "$body" | sed -n 's/.*"activation_id":"\([0-9a-f]*\)".*/\1/p')
                echo "early $id" > /proc/1/fd/1
                echo "early-err $id" >&2
                respond "200 OK" "{\"init\":$(cat /tmp/init.json),\"run\":$body}"
                exec 0<&- 1>&-
                case "$(cat /tmp/init.json)" in *slow-logs*) sleep 3 ;; *) sleep 0.3 ;; esac
                echo "late $id" > /proc/1/fd/1
                echo "late-err $id" >&2
                echo XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX > /proc/1/fd/1
                echo XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX >&2
                """,
            ["Dockerfile"] = $"""
                FROM {HostSettings.BaseImage}
                COPY --chmod=755 entrypoint handler /
                LABEL io.polyarch.action.protocol="http"
                ENTRYPOINT ["/entrypoint"]
                """,
        };
        var image = $"{registry}/demo/recorder-runtime:test";
        await Buildx.BuildAndPushAsync(Buildx.CreateContext(files), image, ["linux/amd64"]);
        return image;
    }

    /// <summary>An image whose entrypoint is not an executable format (no shebang, no ELF): the kernel answers ENOEXEC.</summary>
    public static async Task<string> BuildExecFormatErrorAsync(string registry)
    {
        var files = new Dictionary<string, string>
        {
            ["notabinary"] = "this file has no shebang and is not ELF\n",
            ["Dockerfile"] = $"""
                FROM {HostSettings.BaseImage}
                COPY --chmod=755 notabinary /notabinary
                ENTRYPOINT ["/notabinary"]
                """,
        };
        var image = $"{registry}/demo/exec-format-error:test";
        await Buildx.BuildAndPushAsync(Buildx.CreateContext(files), image, ["linux/amd64"]);
        return image;
    }

    /// <summary>An image FROM scratch whose entrypoint does not exist: runc answers "exec: \"/no-such-entrypoint\": … no such file or directory".</summary>
    public static async Task<string> BuildMissingEntrypointAsync(string registry)
    {
        var files = new Dictionary<string, string>
        {
            ["README"] = "An action image whose entrypoint is missing (the invoker's developer-error tests).\n",
            ["Dockerfile"] = """
                FROM scratch
                COPY README /README
                ENTRYPOINT ["/no-such-entrypoint"]
                """,
        };
        var image = $"{registry}/demo/missing-entrypoint:test";
        await Buildx.BuildAndPushAsync(Buildx.CreateContext(files), image, ["linux/amd64"]);
        return image;
    }

    private static Dictionary<string, string> EchoActionFiles()
    {
        var files = new Dictionary<string, string>();
        foreach (var path in Directory.GetFiles(RepositoryRoot.Combine("examples", "echo", "action")))
        {
            files[$"action/{Path.GetFileName(path)}"] = File.ReadAllText(path);
        }

        return files;
    }
}
