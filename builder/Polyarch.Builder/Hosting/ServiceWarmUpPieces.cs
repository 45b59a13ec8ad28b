using System.Text.Json;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Git;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Records;
using Polyarch.Registry.Client;
using Polyarch.Registry.Http;

namespace Polyarch.Builder.Hosting;

/// <summary>
/// What a just-started <c>serve</c> would otherwise do on its first request and first build (measured: ≈ 1 s on a fresh state):
/// each piece does that work, or the part of it that needs nothing but this machine, ahead of time. Services are resolved
/// inside each piece, so building one is part of its warm-up and a failure stays its own.
/// </summary>
internal sealed class ServiceWarmUpPieces(IServiceProvider services, IConfiguration configuration)
{
    /// <summary>One piece: a name for the log and the work.</summary>
    public sealed record Piece(string Name, Func<CancellationToken, Task> RunAsync);

    /// <summary>The pieces for this process; those of the build path only when it runs builds (<see cref="BuilderOptions.ProcessQueue"/>).</summary>
    public IReadOnlyList<Piece> For(BuilderOptions options)
    {
        var builderDirectory = StatePaths.BuilderDirectory(options.StateDirectory);
        RemoveLeftovers(builderDirectory);
        List<Piece> pieces =
        [
            // Every request reads or writes the store: open it (migrations run on the first open) and read from it once.
            new("the build store", cancellationToken => services.GetRequiredService<IBuildStore>().ListAsync(1, cancellationToken)),
            new("the JSON contracts", _ => PrepareJsonContracts()),
        ];
        if (options.ProcessQueue)
        {
            // `docker buildx inspect`, 0.6–3 s, cached in memory and in the state directory; a build arriving meanwhile joins it.
            pieces.Insert(0, new("the buildx platform list", cancellationToken => services.GetRequiredService<BuilderPlatforms>().ListAsync(cancellationToken)));
            pieces.Add(new("the registry client", cancellationToken => PrepareRegistryClientAsync(options, cancellationToken)));
            // Submit, fetch, claim, check out, bake (a stand-in for buildx), verify, annotate, tag, record, follow: one whole
            // build in a container and directory of its own, against a registry in memory.
            pieces.Add(new("a rehearsed build", cancellationToken => BuildRehearsal.RunAsync(
                Path.Combine(builderDirectory, $"rehearsal-{Environment.ProcessId}"), services.GetRequiredService<TimeProvider>(), cancellationToken)));
        }
        else
        {
            // POST /v1/builds resolves the source (a mirror fetch): libgit2's native library and GitSource's paths.
            pieces.Add(new("git", cancellationToken => GitWarmUp.RunAsync(Path.Combine(builderDirectory, $"warm-up-{Environment.ProcessId}"), cancellationToken)));
        }

        return pieces;
    }

    /// <summary>
    /// Once the server listens: one <c>GET /healthz</c> to itself, so Kestrel, the middleware, routing (its matcher is built
    /// on the first request) and the endpoints are ready when a CLI's discovery probe comes (measured: 260–350 ms first, 6 ms after);
    /// then the two requests a CLI hands a build over with, each answered without queuing anything: a <c>POST /v1/builds</c> of
    /// a source that does not exist (400: authentication, the body limit, JSON binding, the endpoint, the request factory, a
    /// problem answer) and the events of a build that does not exist (404). Measured: the first hand-off's POST took 105–180 ms
    /// in a just-started service, 10–40 in a warm one. With <c>Service:RequireApiKey</c> the POST is refused (401) as the warm-up
    /// holds no key; that still takes the pipeline up to the endpoint.
    /// </summary>
    public static Piece RequestPath(Uri address, string missingSource, TimeProvider time) => new("the HTTP request path", async cancellationToken =>
    {
        using var client = new HttpClient();
        using (var response = await client.GetAsync(new Uri(address, "/healthz"), cancellationToken))
        {
            response.EnsureSuccessStatusCode();
        }

        // The body streams in two chunks with a pause between them, as a CLI's JSON content streams (chunked): Kestrel's body
        // reading, the JSON binding and every middleware above them wait for the second, so their asynchronous paths (state
        // machine boxes, continuations) are compiled now rather than in the first hand-off.
        var submission = System.Text.Encoding.UTF8.GetBytes(
            $$"""{"source":{{JsonSerializer.Serialize(missingSource)}},"platforms":["linux/amd64"],"registry":"127.0.0.1:5000","repository":"warm-up","trigger":"cli"}""");
        using (var content = new TwoPartContent(submission, TimeSpan.FromMilliseconds(50), time))
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(new Uri(address, "/v1/builds"), content, cancellationToken);
            if (response.StatusCode is not (System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Unauthorized))
            {
                throw new InvalidOperationException($"POST /v1/builds of a missing source answered {(int)response.StatusCode}, not 400");
            }
        }

        using (var response = await client.GetAsync(new Uri(address, "/v1/builds/warm-up/events"), cancellationToken))
        {
            if (response.StatusCode is not (System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Unauthorized))
            {
                throw new InvalidOperationException($"GET /v1/builds/warm-up/events answered {(int)response.StatusCode}, not 404");
            }
        }
    });

    /// <summary>
    /// The directories of warm-ups (<c>rehearsal-PID</c>, <c>warm-up-PID</c>) whose process is gone — a service killed while it
    /// started; each warm-up deletes its own — are deleted; one whose process is running (another service on this state) stays.
    /// </summary>
    internal static void RemoveLeftovers(string builderDirectory)
    {
        if (!Directory.Exists(builderDirectory))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(builderDirectory, "*-*"))
        {
            var name = Path.GetFileName(directory);
            var dash = name.LastIndexOf('-');
            if (name[..dash] is not ("rehearsal" or "warm-up")
                || !int.TryParse(name[(dash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                || Client.ServiceDiscovery.IsAlive(pid))
            {
                continue;
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Best effort: it is only disk space, and the next start-up tries again.
            }
        }
    }

    private Task PrepareJsonContracts()
    {
        // The request body as the CLI sends it, through the options minimal APIs bind it with.
        var http = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        JsonSerializer.Deserialize<BuildSubmission>(
            """{"source":"/warm-up","ref":"main","platforms":["linux/amd64"],"registry":"127.0.0.1:5000","repository":"warm-up","trigger":"cli"}""", http);

        // A record as the store keeps it and the API and event stream answer it: these anonymous shapes are the same types
        // the endpoints write (C# unifies anonymous types with equal members within an assembly).
        var record = new BuildRecord(
            "warm-up", new BuildRequest("/warm-up", "127.0.0.1:5000", "warm-up", new string('0', 40), "main", true, ["linux/amd64"], "cli"),
            BuildStatus.Succeeded, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, null, null,
            [new BuiltImage("default", "127.0.0.1:5000", "warm-up", "sha256:" + new string('0', 64), ["latest"], [new PlatformDigest("linux/amd64", "sha256:" + new string('0', 64), 1, "amd64")])],
            [new PlatformTiming("linux/amd64", 1, 1, false)], [], new BuildError("warm-up", 1));
        JsonSerializer.Deserialize<BuildRecord>(JsonSerializer.Serialize(record, BuildJson.Options), BuildJson.Options);
        JsonSerializer.Serialize(new { build = record, created = true, requeued = false }, BuildJson.Options);
        JsonSerializer.Serialize(new { progress = new PlatformProgress("linux/amd64", 1, 2, "warm-up", false, TimeSpan.Zero) }, BuildJson.Options);
        JsonSerializer.Serialize(new { build = record }, BuildJson.Options);
        return Task.CompletedTask;
    }

    private async Task PrepareRegistryClientAsync(BuilderOptions options, CancellationToken cancellationToken)
    {
        // The clients (handler chains) and the services a build verifies and tags through.
        var httpClients = services.GetRequiredService<IHttpClientFactory>();
        httpClients.CreateClient(RegistryHttpClients.Manifests).Dispose();
        httpClients.CreateClient(RegistryHttpClients.Blobs).Dispose();
        services.GetRequiredService<IImageResolver>();
        services.GetRequiredService<StagingTags>();
        var publisher = services.GetRequiredService<IImagePublisher>();

        // A request only to a registry the configuration names: the reachability probe every build starts with.
        if (configuration[$"{BuilderOptions.SectionName}:{nameof(BuilderOptions.Registry)}"] is not null)
        {
            await publisher.EnsureReachableAsync(options.Registry, cancellationToken);
        }
    }
}
