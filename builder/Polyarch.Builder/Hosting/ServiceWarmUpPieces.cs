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
        List<Piece> pieces =
        [
            // Every request reads or writes the store: open it (migrations run on the first open) and read from it once.
            new("the build store", cancellationToken => services.GetRequiredService<IBuildStore>().ListAsync(1, cancellationToken)),
            // POST /v1/builds resolves the source (a mirror fetch) and a build checks it out: libgit2's native library and both paths.
            new("git", cancellationToken => GitWarmUp.RunAsync(Path.Combine(StatePaths.BuilderDirectory(options.StateDirectory), $"warm-up-{Environment.ProcessId}"), cancellationToken)),
            new("the JSON contracts", _ => PrepareJsonContracts()),
        ];
        if (options.ProcessQueue)
        {
            // `docker buildx inspect`, 0.6–3 s, cached in memory and in the state directory; a build arriving meanwhile joins it.
            pieces.Insert(0, new("the buildx platform list", cancellationToken => services.GetRequiredService<BuilderPlatforms>().ListAsync(cancellationToken)));
            pieces.Add(new("the registry client", cancellationToken => PrepareRegistryClientAsync(options, cancellationToken)));
        }

        return pieces;
    }

    /// <summary>
    /// Once the server listens: one <c>GET /healthz</c> to itself, so Kestrel, the middleware, routing (its matcher is built
    /// on the first request) and the endpoints are ready when a CLI's discovery probe comes (measured: 260–350 ms first, 6 ms after).
    /// </summary>
    public static Piece RequestPath(Uri address) => new("the HTTP request path", async cancellationToken =>
    {
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(address, "/healthz"), cancellationToken);
        response.EnsureSuccessStatusCode();
    });

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
