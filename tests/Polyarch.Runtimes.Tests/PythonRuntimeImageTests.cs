using System.Net.Http.Headers;
using System.Text.Json;

namespace Polyarch.Runtimes.Tests;

/// <summary>polyarch/python:3.11 as pushed: one index for three platforms, labelled and annotated for placement.</summary>
[Trait("Category", "Integration")]
public sealed class PythonRuntimeImageTests
{
    private static readonly string[] PlacementKeys = ["io.polyarch.placement", "io.polyarch.action.protocol", "io.polyarch.action.port"];

    [Fact]
    public async Task The_index_has_amd64_arm64_and_ppc64le_each_annotated_with_the_action_protocol_and_port()
    {
        var image = await PythonRuntimeImage.GetAsync();

        image.Children.Keys.Order(StringComparer.Ordinal).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"]);
        using var index = JsonDocument.Parse(image.RawIndex);
        var children = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Where(m => m.GetProperty("platform").GetProperty("os").GetString() == "linux").ToList();
        foreach (var child in children)
        {
            var annotations = child.GetProperty("annotations");
            PlacementKeys.Select(k => annotations.GetProperty(k).GetString())
                .ShouldBe(["v1", "http", "8080"], $"placement annotations of {child.GetProperty("digest")}");
        }

        var indexAnnotations = index.RootElement.GetProperty("annotations");
        indexAnnotations.GetProperty("org.opencontainers.image.title").GetString().ShouldBe("polyarch/python");
        indexAnnotations.GetProperty("org.opencontainers.image.revision").GetString()!.ShouldMatch("^[0-9a-f]{40}$");
        indexAnnotations.GetProperty("org.opencontainers.image.created").GetString().ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("linux/amd64")]
    [InlineData("linux/ppc64le")]
    public async Task Each_variant_config_labels_the_protocol_and_port_and_runs_the_proxy_as_a_non_root_user(string platform)
    {
        var image = await PythonRuntimeImage.GetAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://{image.Repository[..image.Repository.IndexOf('/', StringComparison.Ordinal)]}/v2/") };
        var repository = image.Repository[(image.Repository.IndexOf('/', StringComparison.Ordinal) + 1)..];

        using var manifest = await GetJsonAsync(http, $"{repository}/manifests/{image.Children[platform]}", "application/vnd.oci.image.manifest.v1+json");
        var configDigest = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString();
        using var config = await GetJsonAsync(http, $"{repository}/blobs/{configDigest}", "*/*");

        var settings = config.RootElement.GetProperty("config");
        var labels = settings.GetProperty("Labels");
        labels.GetProperty("io.polyarch.action.protocol").GetString().ShouldBe("http");
        labels.GetProperty("io.polyarch.action.port").GetString().ShouldBe("8080");
        labels.GetProperty("io.polyarch.runtime").GetString().ShouldBe("python:3.11");
        settings.GetProperty("User").GetString().ShouldBe("10001:10001");
        settings.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()).ShouldBe(["python3", "-u", "/opt/polyarch/python-runtime/actionproxy.py"]);
        config.RootElement.GetProperty("architecture").GetString().ShouldBe(platform["linux/".Length..]);
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
