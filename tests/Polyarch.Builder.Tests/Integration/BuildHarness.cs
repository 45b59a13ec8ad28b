using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Cli;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Integration;

/// <summary>Runs <c>polyarch-builder build</c>'s handler in-process against a private state directory and registry.</summary>
public sealed class BuildHarness : IDisposable
{
    private readonly TempDirectory _state = new();
    private readonly ServiceProvider _services;

    public BuildHarness(string registry, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Registry = registry;
        _services = BuilderServices.Create(_state.Path, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Builder:Registry"] = registry });
    }

    public string Registry { get; }

    public string StateDirectory => _state.Path;

    public IServiceProvider Services => _services;

    public sealed record Result(int ExitCode, JsonNode? Json, string Stdout, string Stderr)
    {
        public JsonNode Build => Json!["build"]!;

        public JsonNode Image(int index = 0) => Build["images"]![index]!;

        public string IndexDigest(int index = 0) => Image(index)["indexDigest"]!.GetValue<string>();
    }

    public async Task<Result> BuildAsync(string source, string repository, string? gitRef = null, string? registry = null, params string[] platforms)
    {
        var handler = ActivatorUtilities.CreateInstance<BuildCommandHandler>(_services);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var input = new BuildCommandInput(source, gitRef, null, platforms, registry, repository, null, OutputFormat.Json);

        var exitCode = await handler.RunAsync(input, stdout, stderr, CancellationToken.None);

        var text = stdout.ToString();
        return new Result(exitCode, text.Length > 0 ? JsonNode.Parse(text) : null, text, stderr.ToString());
    }

    /// <summary>The digest a tag points to, or null when the tag does not exist.</summary>
    public async Task<string?> TagDigestAsync(string repository, string tag)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{Registry}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.index.v1+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode ? response.Headers.GetValues("Docker-Content-Digest").Single() : null;
    }

    public void Dispose()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _state.Dispose();
    }
}
