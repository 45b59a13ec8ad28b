using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Registry;
using Polyarch.Registry.Benchmarks;
using Polyarch.Registry.Client;
using Polyarch.Registry.Indexes;
using Polyarch.Registry.Placement;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;
using Polyarch.Testing;

// Round trips to resolve one 3-platform buildx image (OCI index + attestations) in a private registry; with --artifacts,
// storing and loading a 10 MB artifact vs raw HttpClient PUT/GET of the same size instead (ArtifactBenchmark).
// Usage: Polyarch.Registry.Benchmarks [--artifacts [--runs N]] [--json FILE]   (--json: also write the results as JSON for scripts/bench.sh)
var jsonIndex = Array.IndexOf(args, "--json");
var jsonFile = jsonIndex >= 0 && jsonIndex + 1 < args.Length ? args[jsonIndex + 1] : null;
if (args.Contains("--artifacts"))
{
    var runsIndex = Array.IndexOf(args, "--runs");
    var runs = runsIndex >= 0 && runsIndex + 1 < args.Length ? int.Parse(args[runsIndex + 1], CultureInfo.InvariantCulture) : 10;
    var artifacts = await ArtifactBenchmark.RunAsync(runs, warmup: 2);
    if (jsonFile is not null)
    {
        await File.WriteAllTextAsync(jsonFile, artifacts.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    return;
}

await ContainerHost.EnsureUpAsync();
await using var registry = await RegistryInstance.StartAsync();
var image = ImageReference.Parse($"{registry.Address}/bench/echo:v1");
var context = Buildx.CreateContext(new Dictionary<string, string>
{
    ["Dockerfile"] = "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCMD [\"uname\", \"-m\"]\n",
});
await Buildx.BuildAndPushAsync(context, image.ToString(), HostSettings.Platforms, new Dictionary<string, string> { ["BASE_IMAGE"] = HostSettings.BaseImage });
Directory.Delete(context, recursive: true);

var rows = new List<(string What, IReadOnlyList<string> Requests)>();
async Task Measure(string what, Func<Task> work) => rows.Add((what, await RequestCounter.MeasureAsync(registry, work)));

// Tags are trusted for 0 s here so that every repeated resolution shows its conditional request.
var services = new ServiceCollection().AddLogging().AddPolyarchRegistry(o => { o.UseDockerConfig = false; o.TagCacheDuration = TimeSpan.Zero; });
await using (var provider = services.BuildServiceProvider())
{
    var resolver = provider.GetRequiredService<IImageResolver>();
    ResolvedIndex? index = null;
    await Measure("polyarch ResolveAsync (index), cold", async () => index = await resolver.ResolveAsync(image));
    await Measure("polyarch ResolveAsync (index), warm (tag stale, content cached)", () => resolver.ResolveAsync(image));
    await Measure("polyarch ResolveAsync (index), pinned by digest", () => resolver.ResolveAsync(image.WithDigest(index!.Digest)));
}

await using (var provider = services.BuildServiceProvider())
{
    var resolver = provider.GetRequiredService<IImageResolver>();
    var arm64 = Platform.Linux("arm64");
    ResolvedImage? resolved = null;
    await Measure("polyarch ResolvePlatformAsync linux/arm64 (index+manifest+config), cold", async () => resolved = await resolver.ResolvePlatformAsync(image, arm64));
    await Measure("polyarch ResolvePlatformAsync linux/arm64, warm (tag stale)", () => resolver.ResolvePlatformAsync(image, arm64));
    await Measure("polyarch ResolvePlatformAsync linux/arm64, pinned by index digest", () => resolver.ResolvePlatformAsync(image.WithDigest(resolved!.IndexDigest!), arm64));
}

// An index Polyarch built: the same index with the placement annotations the builder writes on each child
// (PlacementAnnotator). The invoker's catalog places from it alone (RegistryVariantCatalogTests shows it asks nothing
// else): ResolveAsync is all it does.
var annotatedImage = ImageReference.Parse($"{registry.Address}/bench/echo:polyarch-built");
await using (var provider = services.BuildServiceProvider())
{
    var resolver = provider.GetRequiredService<IImageResolver>();
    var client = provider.GetRequiredService<IRegistryClient>();
    var plain = await resolver.ResolveAsync(image);
    var hints = new Dictionary<Digest, PlacementHints>();
    foreach (var variant in plain.Variants)
    {
        hints[variant.Digest] = PlacementHints.FromConfig(await resolver.GetConfigAsync(image, variant));
    }

    var document = await client.GetManifestAsync(image.WithDigest(plain.Digest)) ?? throw new InvalidOperationException($"{image} vanished");
    await client.PutManifestAsync(annotatedImage, PlacementAnnotator.Annotate(document.Content.Span, hints, image.ToString()), document.MediaType);
}

await using (var provider = services.BuildServiceProvider())
{
    var resolver = provider.GetRequiredService<IImageResolver>();
    ResolvedIndex? annotated = null;
    await Measure("polyarch placement from a Polyarch-built (annotated) index, cold", async () =>
    {
        annotated = await resolver.ResolveAsync(annotatedImage);
        if (annotated.Variants.Any(v => v.Hints is null))
        {
            throw new InvalidOperationException("the annotated index carries no placement hints");
        }
    });
    await Measure("polyarch placement from a Polyarch-built (annotated) index, warm (tag stale)", () => resolver.ResolveAsync(annotatedImage));
    await Measure("polyarch placement from a Polyarch-built (annotated) index, pinned by index digest", () => resolver.ResolveAsync(annotatedImage.WithDigest(annotated!.Digest)));
}

var docker = HostSettings.DockerCli;
await Measure("docker buildx imagetools inspect", () => Run(docker, "buildx", "imagetools", "inspect", image.ToString()));
await Measure("docker buildx imagetools inspect --raw", () => Run(docker, "buildx", "imagetools", "inspect", "--raw", image.ToString()));
if (File.Exists("/usr/bin/skopeo"))
{
    await Measure("skopeo inspect --override-arch arm64", () => Run("/usr/bin/skopeo", "inspect", "--tls-verify=false", "--override-arch", "arm64", $"docker://{image}"));
    await Measure("skopeo inspect --raw", () => Run("/usr/bin/skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{image}"));
}
else
{
    Console.WriteLine("skopeo is not installed (/usr/bin/skopeo): its rows are left out.");
}

Console.WriteLine($"HTTP requests to resolve {image} (3 platforms + 3 attestations), counted in the registry's access log:");
Console.WriteLine();
foreach (var (what, requests) in rows)
{
    Console.WriteLine($"{requests.Count.ToString(CultureInfo.InvariantCulture),3}  {what}");
    foreach (var request in requests)
    {
        Console.WriteLine($"       {request.Replace($"/v2/{image.Repository}/", ".../", StringComparison.Ordinal)}");
    }
}

if (jsonFile is not null)
{
    var json = new System.Text.Json.Nodes.JsonArray([.. rows.Select(r => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
    {
        ["what"] = r.What,
        ["requests"] = r.Requests.Count,
    })]);
    await File.WriteAllTextAsync(jsonFile, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
}

// buildx (containerd image store) keeps what it pushed: remove this run's images by their label.
var leftovers = await Cli.Wrap(docker).WithArguments(["images", "--filter", $"label={TestRun.LabelKey}={TestRun.Id}", "--format", "{{.ID}}"]).ExecuteBufferedAsync();
var ids = leftovers.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
if (ids.Count > 0)
{
    await Cli.Wrap(docker).WithArguments(["rmi", "--force", .. ids]).ExecuteBufferedAsync();
}

static async Task Run(string program, params string[] arguments) =>
    await Cli.Wrap(program).WithArguments(arguments).ExecuteBufferedAsync();
