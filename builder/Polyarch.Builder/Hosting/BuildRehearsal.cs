using System.Text;
using System.Text.Json;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Git;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Records;
using Polyarch.Registry;
using Polyarch.Registry.Manifests;
using Prometheus;

namespace Polyarch.Builder.Hosting;

/// <summary>
/// A just-started <c>serve</c> rehearses one whole build before it announces itself (issue 18, P5): measured, its first real
/// build otherwise compiled ≈ 300 methods at full optimisation (<c>serve</c> runs with tiered compilation off) — nearly all
/// async state machines of the build path that ReadyToRun cannot pregenerate across assemblies (the submission endpoint,
/// the request factory's fetch, the queue worker, the executor, the bake runner, CliWrap's pipes, the metadata parse, the
/// registry client, the store, the events stream) — ≈ 160 ms of service CPU beside the bake on two cores.
/// <para>The rehearsal runs those very types, composed as the service composes them (<see cref="BuilderServiceCollectionExtensions.AddPolyarchBuilder"/>),
/// in a container of its own over a directory of its own: a one-commit repository (a Dockerfile) is submitted through
/// <see cref="BuildSubmissionEndpoint"/>, claimed and run as the queue worker runs it, checked out, baked by a stand-in for
/// buildx (a shell script the rehearsal writes: it answers <c>inspect</c>, prints rawjson progress and writes bake's
/// metadata file) through <see cref="Buildx.DockerCli"/> and <c>setsid</c>, verified, annotated and tagged in a
/// <see cref="WarmUpRegistry"/> (in memory), recorded in a SQLite store of its own and followed through
/// <see cref="BuildEventsEndpoint"/> until its final record. Nothing reaches the service's store, registry, metrics, logs or
/// traces (instrumentation is suppressed), no docker command runs, and the directory is deleted afterwards.</para>
/// </summary>
internal static class BuildRehearsal
{
    /// <summary>A loopback address (plain HTTP, as the default registry) that no request is ever sent to: the transport is in memory.</summary>
    public const string Registry = "127.0.0.1:9";

    /// <summary>The repository the rehearsed build pushes to (in memory).</summary>
    public const string Repository = "polyarch/warm-up";

    private static readonly string[] Platforms = ["linux/amd64", "linux/arm64"];

    // Stands in for docker-buildx (run directly, as Builder:BuildxPath): `inspect` names the platforms; `bake` prints an
    // indented and a one-line rawjson object per platform, as buildx does, then the status saying the index the rehearsal
    // put in the in-memory registry was pushed, and writes the metadata file with its digest. POSIX sh only.
    private const string StandInScript = """
        #!/bin/sh
        # polyarch-builder serve's warm-up: stands in for docker-buildx in one rehearsed build (Hosting/BuildRehearsal.cs).
        case "$1" in
          inspect) printf 'Name:   warm-up\nDriver: docker\n\nNodes:\nName:      warm-up\nStatus:    running\nPlatforms: %s\n' '@PLATFORMS@'; exit 0 ;;
          bake) ;;
          *) echo "the warm-up's stand-in for buildx runs only inspect and bake, not $1" >&2; exit 1 ;;
        esac
        metadata= platforms= tag= n=0
        while [ $# -gt 0 ]; do
          case "$1" in
            --metadata-file) metadata=$2; shift ;;
            --set) case "$2" in *.platform=*) platforms="$platforms ${2#*.platform=}" ;; *.tags=*) tag=${2#*.tags=} ;; esac; shift ;;
          esac
          shift
        done
        # Output arrives over time, as from buildx: the builder's reads and its wait for the exit suspend, as in a real bake.
        pause() { sleep 0.05 2>/dev/null || sleep 1; }
        for platform in $platforms; do
          pause
          n=$((n + 1))
          printf '{\n  "vertexes": [\n    {\n      "digest": "sha256:%064d",\n      "name": "[%s 1/1] FROM scratch",\n      "started": "2026-01-01T00:00:00Z"\n    }\n  ]\n}\n' "$n" "$platform" >&2
          printf '{"vertexes":[{"digest":"sha256:%064d","name":"[%s 1/1] FROM scratch","started":"2026-01-01T00:00:00Z","completed":"2026-01-01T00:00:01Z","cached":true}]}\n' "$n" "$platform" >&2
        done
        # The index is pushed before bake ends (the builder starts verifying it then).
        printf '{"statuses":[{"id":"pushing manifest for %s@%s","started":"2026-01-01T00:00:01Z","completed":"2026-01-01T00:00:02Z"}]}\n' "$tag" '@DIGEST@' >&2
        pause
        [ -n "$metadata" ] || { echo "bake was run without --metadata-file" >&2; exit 2; }
        printf '{"default":{"containerimage.digest":"%s"}}\n' '@DIGEST@' > "$metadata"
        pause
        """;

    /// <summary>Rehearses one build in <paramref name="directory"/> (deleted before and after); answers the in-memory registry it pushed to.</summary>
    public static async Task<WarmUpRegistry> RunAsync(string directory, TimeProvider time, CancellationToken cancellationToken)
    {
        GitWarmUp.Delete(directory);
        StatePaths.CreatePrivateDirectory(directory);
        try
        {
            // Nothing the rehearsal does is a span of the service's traces (HTTP client and build spans alike).
            using var untraced = OpenTelemetry.SuppressInstrumentationScope.Begin();
            return await RehearseAsync(directory, time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            GitWarmUp.Delete(directory);
        }
    }

    private static async Task<WarmUpRegistry> RehearseAsync(string directory, TimeProvider time, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the rehearsal's stand-in for buildx is a POSIX shell script");
        }

        var registry = new WarmUpRegistry();
        var index = Seed(registry);
        var source = Path.Combine(directory, "source.git");
        GitWarmUp.CreateOneCommitRepository(source);
        var standIn = Path.Combine(directory, "docker-buildx");
        await File.WriteAllTextAsync(
            standIn, StandInScript.Replace("@PLATFORMS@", string.Join(", ", Platforms), StringComparison.Ordinal).Replace("@DIGEST@", index, StringComparison.Ordinal) + "\n",
            cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(standIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{BuilderOptions.SectionName}:{nameof(BuilderOptions.StateDirectory)}"] = Path.Combine(directory, "state"),
            [$"{BuilderOptions.SectionName}:{nameof(BuilderOptions.CacheDirectory)}"] = Path.Combine(directory, "cache"),
            [$"{BuilderOptions.SectionName}:{nameof(BuilderOptions.BuildxPath)}"] = standIn,
            [$"{BuilderOptions.SectionName}:{nameof(BuilderOptions.Registry)}"] = Registry,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(); // no provider: the rehearsal writes nothing to the service's log
        services.AddSingleton(new Fitness.BuildMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()))); // not the service's /metrics
        services.AddPolyarchBuilder(configuration);
        services.AddSingleton(time); // after AddPolyarchBuilder's TimeProvider.System: the last registration is the one resolved
        services.ConfigureHttpClientDefaults(client => client.ConfigurePrimaryHttpMessageHandler(() => registry));
        await using var provider = services.BuildServiceProvider();

        // POST /v1/builds as a CLI hands a build over; then, as the queue worker does, claim it and run it, publishing its
        // progress to GET /v1/builds/{id}/events, which follows it until the final record. The executor returns once its
        // housekeeping (the staging tag's removal) is done too.
        var store = provider.GetRequiredService<IBuildStore>();
        var hub = provider.GetRequiredService<BuildProgressHub>();
        var submission = new BuildSubmission(source, Platforms: Platforms, Registry: Registry, Repository: Repository, Trigger: "cli");
        var submitted = await BuildSubmissionEndpoint.HandleAsync(
            submission, provider.GetRequiredService<BuildRequestFactory>(), provider.GetRequiredService<BuildSubmitter>(), cancellationToken).ConfigureAwait(false);
        using (var accepted = await ExecuteAsync(submitted, provider).ConfigureAwait(false))
        {
            if (!accepted.RootElement.TryGetProperty("build", out _))
            {
                throw new InvalidOperationException($"the rehearsed submission was not accepted: {accepted.RootElement.GetRawText()}");
            }
        }

        var build = await store.ClaimNextAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("the rehearsed build was not queued");
        var events = new DefaultHttpContext { RequestServices = provider };
        using var stream = new MemoryStream();
        events.Response.Body = stream;
        var following = BuildEventsEndpoint.HandleAsync(build.Id, events, store, hub, time, cancellationToken);
        try
        {
            await provider.GetRequiredService<BuildExecutor>().ExecuteAsync(
                build, progress => hub.Publish(build.Id, progress), cancellationToken, onRecorded: () => hub.Complete(build.Id)).ConfigureAwait(false);
        }
        finally
        {
            hub.Complete(build.Id);
        }

        await following.ConfigureAwait(false);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var final = JsonDocument.Parse(lines[^1]);
        if (!lines[0].StartsWith("{\"progress\"", StringComparison.Ordinal)
            || final.RootElement.GetProperty("build").GetProperty("status").GetString() is not "succeeded")
        {
            throw new InvalidOperationException($"the rehearsed build did not succeed as followed: {string.Join(' ', lines)}");
        }

        return registry;
    }

    /// <summary>Writes <paramref name="result"/> as the endpoint's response; answers its JSON body.</summary>
    private static async Task<JsonDocument> ExecuteAsync(IResult result, IServiceProvider provider)
    {
        var context = new DefaultHttpContext { RequestServices = provider };
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context).ConfigureAwait(false);
        body.Position = 0;
        return await JsonDocument.ParseAsync(body).ConfigureAwait(false);
    }

    /// <summary>What a bake pushes: an OCI index of one image per platform (config with a label, no layers); answers its digest.</summary>
    private static string Seed(WarmUpRegistry registry)
    {
        var entries = new List<string>();
        foreach (var platform in Platforms)
        {
            var architecture = platform["linux/".Length..];
            var config = Encoding.UTF8.GetBytes(
                $$$"""{"architecture":"{{{architecture}}}","os":"linux","config":{"Labels":{"io.polyarch.action.port":"8080"}},"rootfs":{"type":"layers","diff_ids":[]}}""");
            var configDigest = registry.AddBlob(config);
            var manifest = Encoding.UTF8.GetBytes(
                $$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{configDigest}}}","size":{{{config.Length}}}},"layers":[]}""");
            var manifestDigest = registry.AddManifest(Repository, null, manifest, MediaTypes.OciManifest);
            entries.Add($$$"""{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{manifestDigest}}}","size":{{{manifest.Length}}},"platform":{"architecture":"{{{architecture}}}","os":"linux"}}""");
        }

        var index = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[{{{string.Join(',', entries)}}}]}""");
        return registry.AddManifest(Repository, null, index, MediaTypes.OciIndex).ToString();
    }
}
