using System.Text.Json.Nodes;
using Polyarch.Testing;

namespace Polyarch.Host.Tests.PrivateRegistries;

/// <summary>
/// The seed's `docker manifest create --insecure`, against registries at a non-loopback address: with --ca on the TLS
/// registry (credentials from a config.json `auths` entry) and with --insecure on the plain-HTTP one.
/// </summary>
[Collection(PrivateRegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PrivateRegistryManifestTests(PrivateRegistryFixture registry)
{
    private Dictionary<string, string?> Environment => new() { ["DOCKER_CONFIG"] = registry.DockerConfigDirectory };

    [Fact]
    public async Task Manifest_create_with_ca_writes_one_index_to_the_TLS_registry_with_credentials_from_docker_config()
    {
        var repository = $"{registry.TlsRegistry}/{registry.SeedRepository}";
        string[] sources = [$"{repository}:amd64", $"{repository}:arm64", $"{repository}:ppc64le"];

        var untrusted = await Tool.BuilderAsync(Environment, ["manifest", "create", $"{repository}:untrusted", .. sources]);
        untrusted.ExitCode.ShouldNotBe(0, Tool.Describe(untrusted));
        untrusted.StandardError.ShouldMatch("(?i)ssl|certificate");

        var created = await Tool.BuilderAsync(Environment, ["manifest", "create", $"{repository}:multi", .. sources, "--ca", registry.CaFile, "--output", "json"]);

        created.ExitCode.ShouldBe(0, Tool.Describe(created));
        ShouldHaveThreePlatforms(created.StandardOutput);
        var inspected = await Tool.BuilderAsync(Environment, "manifest", "inspect", $"{repository}:multi", "--ca", registry.CaFile, "--output", "json");
        inspected.ExitCode.ShouldBe(0, Tool.Describe(inspected));
        JsonNode.Parse(inspected.StandardOutput)!["digest"]!.GetValue<string>().ShouldBe(JsonNode.Parse(created.StandardOutput)!["digest"]!.GetValue<string>());
    }

    [Fact]
    public async Task Manifest_create_with_insecure_writes_one_index_to_the_plain_registry()
    {
        var repository = $"{registry.PlainRegistry}/{registry.SeedRepository}";
        string[] sources = [$"{repository}:amd64", $"{repository}:arm64", $"{repository}:ppc64le"];

        var https = await Tool.BuilderAsync(null, ["manifest", "create", $"{repository}:https", .. sources]);
        https.ExitCode.ShouldNotBe(0, Tool.Describe(https));

        var created = await Tool.BuilderAsync(null, ["manifest", "create", $"{repository}:multi", .. sources, "--insecure", "--output", "json"]);

        created.ExitCode.ShouldBe(0, Tool.Describe(created));
        ShouldHaveThreePlatforms(created.StandardOutput);
    }

    [Fact]
    public async Task Insecure_and_ca_together_are_bad_usage()
    {
        var result = await Tool.BuilderAsync(null, "manifest", "inspect", $"{registry.TlsRegistry}/x:y", "--insecure", "--ca", registry.CaFile);

        result.ExitCode.ShouldBe(2, Tool.Describe(result));
        result.StandardError.ShouldContain("exclude each other");
    }

    private static void ShouldHaveThreePlatforms(string json) =>
        JsonNode.Parse(json)!["children"]!.AsArray().Select(c => c!["platform"]!.GetValue<string>()).Order()
            .ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"]);
}
