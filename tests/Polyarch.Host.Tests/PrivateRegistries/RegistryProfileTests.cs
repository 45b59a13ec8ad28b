using System.Text.Json.Nodes;
using Polyarch.Testing;
using Tomlyn;
using Tomlyn.Model;

namespace Polyarch.Host.Tests.PrivateRegistries;

/// <summary>
/// `polyarch-builder registry profile`: the files it writes are read by each consumer's own tool here (dockerd
/// --validate, skopeo, kubectl kustomize) or checked against the consumer's documented format (containerd's
/// hosts.toml, buildkitd.toml), and --apply merges into existing files without touching unrelated settings.
/// </summary>
[Collection(PrivateRegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RegistryProfileTests(PrivateRegistryFixture registry) : IDisposable
{
    // containerd docs/hosts.md: the top-level keys and those of a [host."…"] table.
    private static readonly string[] HostsTomlTopLevel = ["server", "capabilities", "ca", "client", "skip_verify", "header", "override_path", "host"];
    private static readonly string[] HostsTomlHostKeys = ["capabilities", "ca", "client", "skip_verify", "header", "override_path", "dial_timeout"];

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("polyarch-profile-test-");

    private string Output => Path.Combine(_directory.FullName, "out");

    private string Root => Path.Combine(_directory.FullName, "root");

    [Fact]
    public async Task Insecure_profile_is_what_skopeo_needs_to_reach_the_plain_registry_and_each_file_parses()
    {
        var result = await Tool.BuilderAsync(null, "registry", "profile", registry.PlainRegistry, "--insecure", "--output", Output);
        result.ExitCode.ShouldBe(0, Tool.Describe(result));

        // Engine: dockerd itself validates the daemon.json.
        var daemonJson = Path.Combine(Output, "etc/docker/daemon.json");
        JsonNode.Parse(await File.ReadAllTextAsync(daemonJson))!["insecure-registries"]!.AsArray()
            .Select(n => n!.GetValue<string>()).ShouldBe([registry.PlainRegistry]);
        await ShouldValidateWithDockerdAsync(daemonJson);

        // skopeo: without the registries.conf.d file it speaks HTTPS and fails; with it, it reads the image.
        var image = $"docker://{registry.PlainRegistry}/{registry.SeedRepository}:arm64";
        var without = await Tool.RunAsync("skopeo", ["inspect", "--raw", image]);
        without.ExitCode.ShouldNotBe(0);
        without.StandardError.ShouldContain("HTTP response to HTTPS client");
        var conf = Path.Combine(Output, $"etc/containers/registries.conf.d/50-polyarch-{Slug(registry.PlainRegistry)}.conf");
        var with = await Tool.RunAsync("skopeo", ["inspect", "--registries-conf", conf, "--raw", image]);
        with.ExitCode.ShouldBe(0, Tool.Describe(with));

        var hosts = ParseToml(Path.Combine(Output, $"etc/containerd/certs.d/{registry.PlainRegistry}/hosts.toml"));
        ShouldFollowContainerdHostsFormat(hosts);
        hosts["server"].ShouldBe($"http://{registry.PlainRegistry}");
        var host = (TomlTable)((TomlTable)hosts["host"])[$"http://{registry.PlainRegistry}"];
        ((TomlArray)host["capabilities"]).ShouldBe(["pull", "resolve", "push"]);

        var buildkit = (TomlTable)((TomlTable)ParseToml(Path.Combine(Output, "etc/buildkit/buildkitd.toml"))["registry"])[registry.PlainRegistry];
        buildkit["http"].ShouldBe(true);
        buildkit["insecure"].ShouldBe(true);

        await ShouldBuildWithKustomizeAsync(registry.PlainRegistry);
        (await File.ReadAllTextAsync(Path.Combine(Output, $"polyarch/{Slug(registry.PlainRegistry)}.env")))
            .ShouldContain($"POLYARCH_Registry__InsecureHosts__0={registry.PlainRegistry}");
    }

    [Fact]
    public async Task Ca_profile_is_what_skopeo_needs_to_trust_the_TLS_registry_and_each_file_parses()
    {
        var result = await Tool.BuilderAsync(null, "registry", "profile", registry.TlsRegistry, "--ca", registry.CaFile, "--output", Output);
        result.ExitCode.ShouldBe(0, Tool.Describe(result));

        var ca = await File.ReadAllTextAsync(registry.CaFile);
        (await File.ReadAllTextAsync(Path.Combine(Output, $"etc/docker/certs.d/{registry.TlsRegistry}/ca.crt"))).ShouldBe(ca);
        File.Exists(Path.Combine(Output, "etc/docker/daemon.json")).ShouldBeFalse("a registry with a CA needs no insecure-registries entry");

        // skopeo reads containers-certs.d: without the CA it refuses the certificate, with the profile's directory it trusts it.
        var image = $"docker://{registry.TlsRegistry}/{registry.SeedRepository}:ppc64le";
        var credentials = $"{registry.User}:{registry.Password}";
        // An empty --cert-dir: the default directories may already trust it (skopeo also reads /etc/docker/certs.d).
        var empty = Directory.CreateDirectory(Path.Combine(_directory.FullName, "empty-certs")).FullName;
        var without = await Tool.RunAsync("skopeo", ["inspect", "--cert-dir", empty, "--creds", credentials, "--raw", image]);
        without.ExitCode.ShouldNotBe(0);
        without.StandardError.ShouldContain("certificate signed by unknown authority");
        var certDir = Path.Combine(Output, $"etc/containers/certs.d/{registry.TlsRegistry}");
        var with = await Tool.RunAsync("skopeo", ["inspect", "--cert-dir", certDir, "--creds", credentials, "--raw", image]);
        with.ExitCode.ShouldBe(0, Tool.Describe(with));

        var hosts = ParseToml(Path.Combine(Output, $"etc/containerd/certs.d/{registry.TlsRegistry}/hosts.toml"));
        ShouldFollowContainerdHostsFormat(hosts);
        hosts["server"].ShouldBe($"https://{registry.TlsRegistry}");
        var host = (TomlTable)((TomlTable)hosts["host"])[$"https://{registry.TlsRegistry}"];
        host["ca"].ShouldBe($"/etc/containerd/certs.d/{registry.TlsRegistry}/ca.crt");
        host.ContainsKey("skip_verify").ShouldBeFalse();
        (await File.ReadAllTextAsync(Path.Combine(Output, $"etc/containerd/certs.d/{registry.TlsRegistry}/ca.crt"))).ShouldBe(ca);

        var buildkit = (TomlTable)((TomlTable)ParseToml(Path.Combine(Output, "etc/buildkit/buildkitd.toml"))["registry"])[registry.TlsRegistry];
        var buildkitCa = ((TomlArray)buildkit["ca"]).Single().ShouldBeOfType<string>();
        (await File.ReadAllTextAsync(Path.Combine(Output, buildkitCa.TrimStart('/')))).ShouldBe(ca);

        var daemonSet = await ShouldBuildWithKustomizeAsync(registry.TlsRegistry);
        daemonSet.ShouldContain("BEGIN CERTIFICATE");
        (await File.ReadAllTextAsync(Path.Combine(Output, $"polyarch/{Slug(registry.TlsRegistry)}.env")))
            .ShouldContain($"POLYARCH_Registry__CaFiles__{registry.HostName}=/etc/docker/certs.d/{registry.TlsRegistry}/ca.crt");
    }

    [Fact]
    public async Task Apply_merges_into_existing_files_keeps_unrelated_settings_and_changes_nothing_the_second_time()
    {
        var daemonJson = Path.Combine(Root, "etc/docker/daemon.json");
        var buildkitd = Path.Combine(Root, "etc/buildkit/buildkitd.toml");
        Directory.CreateDirectory(Path.GetDirectoryName(daemonJson)!);
        Directory.CreateDirectory(Path.GetDirectoryName(buildkitd)!);
        await File.WriteAllTextAsync(daemonJson, """{"features":{"containerd-snapshotter":true},"log-level":"warn","insecure-registries":["reg.lan:30501"]}""");
        await File.WriteAllTextAsync(buildkitd, $"""
            # the team's builder settings
            debug = true

            [registry."docker.io"]
              mirrors = ["mirror.lan"]

            [registry."{registry.PlainRegistry}"]
              mirrors = ["mirror.lan"]
              http = false
            """);

        var first = await Tool.BuilderAsync(null, "registry", "profile", registry.PlainRegistry, "--insecure", "--apply", "--root", Root);
        first.ExitCode.ShouldBe(0, Tool.Describe(first));
        first.StandardOutput.ShouldContain("+    \"" + registry.PlainRegistry + "\"");
        first.StandardOutput.ShouldContain("dockerd reloads insecure-registries on SIGHUP");
        var files = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Order().ToList();
        var snapshot = files.ToDictionary(f => f, File.ReadAllBytes);
        var written = files.ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var second = await Tool.BuilderAsync(null, "registry", "profile", registry.PlainRegistry, "--insecure", "--apply", "--root", Root);

        second.ExitCode.ShouldBe(0, Tool.Describe(second));
        second.StandardOutput.ShouldContain("Nothing changed");
        second.StandardOutput.ShouldNotContain("+++");
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Order().ShouldBe(files);
        foreach (var file in files)
        {
            File.ReadAllBytes(file).ShouldBe(snapshot[file], file);
            File.GetLastWriteTimeUtc(file).ShouldBe(written[file], file);
        }

        var daemon = JsonNode.Parse(await File.ReadAllTextAsync(daemonJson))!;
        daemon["log-level"]!.GetValue<string>().ShouldBe("warn");
        daemon["features"]!["containerd-snapshotter"]!.GetValue<bool>().ShouldBeTrue();
        daemon["insecure-registries"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["reg.lan:30501", registry.PlainRegistry]);
        await ShouldValidateWithDockerdAsync(daemonJson);

        var toml = await File.ReadAllTextAsync(buildkitd);
        toml.ShouldStartWith("# the team's builder settings");
        var model = TomlSerializer.Deserialize<TomlTable>(toml)!;
        model["debug"].ShouldBe(true);
        var registries = (TomlTable)model["registry"];
        ((TomlArray)((TomlTable)registries["docker.io"])["mirrors"]).ShouldBe(["mirror.lan"]);
        var ours = (TomlTable)registries[registry.PlainRegistry];
        ((TomlArray)ours["mirrors"]).ShouldBe(["mirror.lan"]);
        ours["http"].ShouldBe(true);
        ours["insecure"].ShouldBe(true);
    }

    [Fact]
    public async Task Apply_refuses_a_daemon_json_that_is_not_JSON_and_writes_nothing()
    {
        var daemonJson = Path.Combine(Root, "etc/docker/daemon.json");
        Directory.CreateDirectory(Path.GetDirectoryName(daemonJson)!);
        await File.WriteAllTextAsync(daemonJson, "{\"log-level\": \"warn\",");

        var result = await Tool.BuilderAsync(null, "registry", "profile", registry.PlainRegistry, "--insecure", "--apply", "--root", Root);

        result.ExitCode.ShouldBe(2, Tool.Describe(result));
        result.StandardError.ShouldContain("daemon.json is not valid JSON");
        (await File.ReadAllTextAsync(daemonJson)).ShouldBe("{\"log-level\": \"warn\",");
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).ShouldBe([daemonJson]);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static string Slug(string registry) => registry.Replace(':', '-').Replace('.', '-');

    private static TomlTable ParseToml(string path) => TomlSerializer.Deserialize<TomlTable>(File.ReadAllText(path))!;

    private static void ShouldFollowContainerdHostsFormat(TomlTable hosts)
    {
        hosts.Keys.ShouldBeSubsetOf(HostsTomlTopLevel);
        var host = ((TomlTable)hosts["host"]).ShouldHaveSingleItem();
        host.Key.ShouldBe((string)hosts["server"], "the host entry is the server itself");
        ((TomlTable)host.Value).Keys.ShouldBeSubsetOf(HostsTomlHostKeys);
        ((TomlArray)((TomlTable)host.Value)["capabilities"]).Cast<string>().ShouldBeSubsetOf(["pull", "resolve", "push"]);
    }

    private static async Task ShouldValidateWithDockerdAsync(string daemonJson)
    {
        var validate = await Tool.RunAsync("/usr/sbin/dockerd", ["--validate", "--config-file", daemonJson]);
        validate.ExitCode.ShouldBe(0, Tool.Describe(validate));
    }

    private async Task<string> ShouldBuildWithKustomizeAsync(string registryName)
    {
        var kustomize = await Tool.RunAsync("kubectl", ["kustomize", Path.Combine(Output, "kubernetes", Slug(registryName))]);
        kustomize.ExitCode.ShouldBe(0, Tool.Describe(kustomize));
        kustomize.StandardOutput.ShouldContain("kind: DaemonSet");
        kustomize.StandardOutput.ShouldContain("path: /etc/containerd/certs.d");
        kustomize.StandardOutput.ShouldContain($"server = \"http");
        return kustomize.StandardOutput;
    }
}
