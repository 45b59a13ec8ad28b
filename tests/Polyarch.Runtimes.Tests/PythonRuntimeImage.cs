using System.Net.Http.Headers;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Runtimes.Tests;

/// <summary>
/// polyarch/python:3.11 as scripts/runtimes.sh pushed it for the current sources (scripts/test.sh runs
/// <c>scripts/runtimes.sh ensure</c> before the tests: a first build takes minutes, arm64 and ppc64le under QEMU).
/// Tests never build it themselves; when it is missing they fail and say which command builds it.
/// </summary>
internal static class PythonRuntimeImage
{
    private static readonly Lazy<Task<RuntimeIndex>> Index = new(LoadAsync);

    /// <summary>The pinned reference and the index's children, checked once per test process.</summary>
    public static Task<RuntimeIndex> GetAsync() => Index.Value;

    private static async Task<RuntimeIndex> LoadAsync()
    {
        await ContainerHost.EnsureUpAsync();
        var script = RepositoryRoot.Combine("scripts", "runtimes.sh");
        var tag = await Cli.Wrap("bash").WithArguments([script, "tag", "python"]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        tag.ExitCode.ShouldBe(0, $"scripts/runtimes.sh tag python failed:\n{tag.StandardError}");
        var reference = tag.StandardOutput.Trim();
        var check = await Cli.Wrap("bash").WithArguments([script, "check", "python"]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (check.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The Python runtime image {reference} is not in the registry. Build it with 'scripts/runtimes.sh ensure' in {RepositoryRoot.Path} " +
                "(scripts/test.sh does so before the tests; the first build takes minutes) and run the tests again.");
        }

        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        var colon = reference.LastIndexOf(':');
        var registry = reference[..slash];
        var repository = reference[(slash + 1)..colon];
        var manifestTag = reference[(colon + 1)..];
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry}/v2/"), Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{repository}/manifests/{manifestTag}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.index.v1+json"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var raw = await response.Content.ReadAsStringAsync();
        var children = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var document = JsonDocument.Parse(raw))
        {
            foreach (var entry in document.RootElement.GetProperty("manifests").EnumerateArray())
            {
                var platform = entry.GetProperty("platform");
                if (platform.GetProperty("os").GetString() == "linux")
                {
                    children[$"linux/{platform.GetProperty("architecture").GetString()}"] = entry.GetProperty("digest").GetString()!;
                }
            }
        }

        return new RuntimeIndex(reference, $"{registry}/{repository}", raw, children);
    }
}
