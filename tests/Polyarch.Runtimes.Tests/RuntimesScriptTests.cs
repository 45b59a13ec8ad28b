using System.Net.Http.Headers;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Runtimes.Tests;

/// <summary>scripts/runtimes.sh against the real registry, once the image exists (scripts/test.sh ensured it).</summary>
[Trait("Category", "Integration")]
public sealed class RuntimesScriptTests
{
    [Fact]
    public async Task Ensure_with_the_image_present_builds_nothing_and_points_3_11_at_the_pinned_index()
    {
        var image = await PythonRuntimeImage.GetAsync();

        var ensure = await Cli.Wrap("bash").WithArguments([RepositoryRoot.Combine("scripts", "runtimes.sh"), "ensure"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

        ensure.ExitCode.ShouldBe(0, ensure.StandardError);
        ensure.StandardOutput.ShouldContain($"{image.Reference} present");
        ensure.StandardOutput.ShouldNotContain("Building");
        var pinned = await DigestAsync(image.Reference);
        (await DigestAsync($"{image.Repository}:3.11")).ShouldBe(pinned);
    }

    [Fact]
    public async Task Tag_hashes_the_inputs_and_an_unknown_runtime_is_bad_usage()
    {
        var script = RepositoryRoot.Combine("scripts", "runtimes.sh");

        var tag = await Cli.Wrap("bash").WithArguments([script, "tag", "python"]).ExecuteBufferedAsync();
        var unknown = await Cli.Wrap("bash").WithArguments([script, "ensure", "ruby"]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

        tag.StandardOutput.Trim().ShouldMatch($"^{System.Text.RegularExpressions.Regex.Escape(HostSettings.Registry)}/polyarch/python:3\\.11-[0-9a-f]{{12}}$");
        unknown.ExitCode.ShouldBe(2);
        unknown.StandardError.ShouldContain("unknown runtime 'ruby'; the runtimes are: python");
    }

    private static async Task<string?> DigestAsync(string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        var colon = reference.LastIndexOf(':');
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{reference[..slash]}/v2/{reference[(slash + 1)..colon]}/manifests/{reference[(colon + 1)..]}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.index.v1+json"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.Single() : null;
    }
}
