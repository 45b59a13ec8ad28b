using System.Text.Json.Nodes;
using Polyarch.Builder.Registries;

namespace Polyarch.Builder.Tests.Registries;

/// <summary>The merges of `registry profile --apply`: the registry's keys are set, everything else in the file stays.</summary>
public sealed class ProfileMergeTests
{
    private static readonly RegistryProfile Insecure = new("reg.lan:30501", null);
    private static readonly RegistryProfile WithCa = new("reg.lan:30501", "-----BEGIN CERTIFICATE-----\n…\n");

    [Theory]
    [InlineData("", "[\"reg.lan:30501\"]")]
    [InlineData("{}", "[\"reg.lan:30501\"]")]
    [InlineData("{\"insecure-registries\":[\"a:1\"]}", "[\"a:1\",\"reg.lan:30501\"]")]
    [InlineData("{\"insecure-registries\":[\"REG.LAN:30501\"]}", "[\"REG.LAN:30501\"]")]
    public void DaemonJson_AddsTheRegistryOnce(string existing, string expected)
    {
        var merged = DaemonJsonMerge.Merge(existing, "reg.lan:30501");

        JsonNode.Parse(merged)!["insecure-registries"]!.ToJsonString().ShouldBe(expected);
        DaemonJsonMerge.Merge(merged, "reg.lan:30501").ShouldBe(merged);
    }

    [Fact]
    public void DaemonJson_KeepsEveryOtherKey()
    {
        var merged = JsonNode.Parse(DaemonJsonMerge.Merge("""{"log-level":"warn","features":{"containerd-snapshotter":true},"registry-mirrors":["https://m"]}""", "reg.lan:30501"))!;

        merged["log-level"]!.GetValue<string>().ShouldBe("warn");
        merged["features"]!["containerd-snapshotter"]!.GetValue<bool>().ShouldBeTrue();
        merged["registry-mirrors"]![0]!.GetValue<string>().ShouldBe("https://m");
    }

    [Theory]
    [InlineData("{\"log-level\": ")]
    [InlineData("[]")]
    [InlineData("{\"insecure-registries\": \"reg.lan:30501\"}")]
    public void DaemonJson_RefusesWhatItCannotMergeInto(string existing) =>
        Should.Throw<ProfileInputException>(() => DaemonJsonMerge.Merge(existing, "reg.lan:30501")).Message.ShouldContain("daemon.json");

    [Fact]
    public void Buildkitd_AppendsTheTable_AndKeepsTheRestByteForByte()
    {
        const string existing = "# mine\ndebug = true\n\n[registry.\"docker.io\"]\n  mirrors = [\"mirror.lan\"]\n";

        var merged = BuildkitdTomlMerge.Merge(existing, Insecure, "/unused");

        merged.ShouldBe(existing + "\n[registry.\"reg.lan:30501\"]\n  http = true\n  insecure = true\n");
        BuildkitdTomlMerge.Merge(merged, Insecure, "/unused").ShouldBe(merged);
    }

    [Theory]
    [InlineData("[registry.\"reg.lan:30501\"]")]
    [InlineData("[registry.'reg.lan:30501']")]
    [InlineData("[ registry . \"reg.lan:30501\" ]")]
    public void Buildkitd_ReplacesOnlyItsOwnKeysInAnExistingTable(string header)
    {
        var existing = $"{header}\n  mirrors = [\"m\"]\n  http = true\n  # insecure = false (a comment stays)\n\n[[registry.\"reg.lan:30501\".keypair]]\n  key = \"/k\"\n  cert = \"/c\"\n";

        var merged = BuildkitdTomlMerge.Merge(existing, WithCa, "/etc/buildkit/certs/reg.lan:30501/ca.crt");

        merged.ShouldBe($"{header}\n  ca = [\"/etc/buildkit/certs/reg.lan:30501/ca.crt\"]\n  mirrors = [\"m\"]\n  # insecure = false (a comment stays)\n\n[[registry.\"reg.lan:30501\".keypair]]\n  key = \"/k\"\n  cert = \"/c\"\n");
        BuildkitdTomlMerge.Merge(merged, WithCa, "/etc/buildkit/certs/reg.lan:30501/ca.crt").ShouldBe(merged);
    }

    [Fact]
    public void Buildkitd_RefusesAFileThatIsNotToml() =>
        Should.Throw<ProfileInputException>(() => BuildkitdTomlMerge.Merge("[registry.\"x\"\nhttp = ", Insecure, "/unused"))
            .Message.ShouldContain("not valid TOML");
}
