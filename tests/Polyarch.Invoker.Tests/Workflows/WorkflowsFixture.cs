using Polyarch.Invoker.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Workflows;

/// <summary>
/// A private registry with the step image (an OpenWhisk proxy on busybox that speaks the files contract, for linux/amd64,
/// arm64 and ppc64le) and examples/echo. Every container the collection starts carries the test run's label.
/// </summary>
public sealed class WorkflowsFixture : IAsyncLifetime
{
    private readonly RegistryFixture _registry = new();

    public string Registry => _registry.Address;

    /// <summary>Answers <c>{"arch", "body": the /run body}</c> plus the file <c>out.txt</c> ("made on ARCH") under <c>"polyarch:files"</c>.</summary>
    public string StepImage { get; private set; } = "";

    public string EchoImage { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await _registry.InitializeAsync();
        StepImage = await BuildStepImageAsync(Registry);
        EchoImage = await TestImages.BuildEchoAsync(Registry);
    }

    public async Task DisposeAsync()
    {
        await Engine.RemoveTestContainersAsync();
        await _registry.DisposeAsync();
    }

    /// <summary>
    /// The step action: POST /init answers ok; POST /run answers the body it got and one output file, or — as its params
    /// ask — an application error on one architecture (<c>"fail": "aarch64"</c>) or a sleep first (<c>"sleep": 3</c>).
    /// </summary>
    private static async Task<string> BuildStepImageAsync(string registry)
    {
        var files = new Dictionary<string, string>
        {
            ["entrypoint"] = """
                #!/bin/sh
                exec nc -ll -p 8080 -e /handler
                """,
            ["handler"] = """
                #!/bin/sh
                # One request per connection: the request line, headers (Content-Length), the body.
                CR=$(printf '\r')
                respond() { printf 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' "${#1}" "$1"; exit 0; }
                read -r method path proto || exit 0
                length=0
                while IFS= read -r line; do
                  line=${line%"$CR"}
                  [ -z "$line" ] && break
                  case "$line" in [Cc]ontent-[Ll]ength:*) length=${line#*:}; length=${length## } ;; esac
                done
                body=""
                [ "$length" -gt 0 ] 2>/dev/null && body=$(head -c "$length")
                [ "$path" = /init ] && respond '{"ok":true}'
                arch=$(uname -m)
                case "$body" in *"\"fail\":\"$arch\""*) respond "{\"error\":\"failing on purpose on $arch\"}" ;; esac
                case "$body" in *'"sleep":'*) s=${body#*\"sleep\":}; s=${s%%[,\}]*}; sleep "$s" ;; esac
                out=$(printf 'made on %s' "$arch" | base64)
                respond "{\"arch\":\"$arch\",\"body\":$body,\"polyarch:files\":{\"out.txt\":\"$out\"}}"
                """,
            ["Dockerfile"] = $"""
                FROM {HostSettings.BaseImage}
                COPY --chmod=755 entrypoint handler /
                LABEL io.polyarch.action.protocol="http"
                ENTRYPOINT ["/entrypoint"]
                """,
        };
        var image = $"{registry}/demo/workflow-step:test";
        await Buildx.BuildAndPushAsync(Buildx.CreateContext(files), image, HostSettings.Platforms);
        return image;
    }
}
