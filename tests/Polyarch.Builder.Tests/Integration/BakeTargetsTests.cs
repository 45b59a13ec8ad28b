using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Integration;

[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BakeTargetsTests(RegistryFixture registry) : IDisposable
{
    private readonly TestGitRepository _repository = new();
    private readonly BuildHarness _harness = new(registry.Address);

    [Fact]
    public async Task A_bake_file_with_two_targets_gives_two_verified_indexes()
    {
        var dockerfile = $"FROM {HostSettings.BaseImage}\nARG NAME\nRUN echo \"$NAME on $(uname -m)\" > /name\n";
        _repository.Commit(new Dictionary<string, string>
        {
            ["docker-bake.hcl"] = """
                group "default" { targets = ["api", "web"] }
                target "api" {
                  context = "api"
                  args = { NAME = "api" }
                }
                target "web" {
                  context = "web"
                  args = { NAME = "web" }
                  tags = ["ignored.example.com/web:whatever"]
                }
                """,
            ["api/Dockerfile"] = dockerfile,
            ["web/Dockerfile"] = dockerfile,
        });

        var result = await _harness.BuildAsync(_repository.Path, "demo/app");

        result.ExitCode.ShouldBe(0, result.Stderr);
        var images = result.Build["images"]!.AsArray();
        images.Select(i => i!["repository"]!.GetValue<string>()).ShouldBe(["demo/app/api", "demo/app/web"]);
        foreach (var image in images)
        {
            image!["platforms"]!.AsArray().Count.ShouldBe(3);
            var repository = image["repository"]!.GetValue<string>();
            (await _harness.TagDigestAsync(repository, "latest")).ShouldBe(image["indexDigest"]!.GetValue<string>());
        }

        var web = await Engine.RunAsync($"{registry.Address}/demo/app/web@{images[1]!["indexDigest"]}", "linux/ppc64le", ["cat", "/name"]);
        web.StandardOutput.Trim().ShouldBe("web on ppc64le");
    }

    [Fact]
    public async Task A_bake_file_reaching_outside_the_checkout_is_refused()
    {
        _repository.Commit(new Dictionary<string, string>
        {
            ["docker-bake.hcl"] = "target \"default\" {\n  context = \"/etc\"\n}\n",
        });

        var result = await _harness.BuildAsync(_repository.Path, "demo/escape");

        result.ExitCode.ShouldBe(2, result.Stdout);
        result.Stderr.ShouldContain("outside");
    }

    [Fact]
    public async Task Bake_targets_whose_repository_names_the_registry_would_refuse_are_bad_input_before_anything_is_built()
    {
        var repository = "demo/" + new string('r', 233); // 127.0.0.1:PORT/ + 238: 253 or 254 characters, valid alone, not with "/api"
        _repository.Commit(new Dictionary<string, string>
        {
            ["docker-bake.hcl"] = "group \"default\" { targets = [\"api\", \"Web_UI\"] }\ntarget \"api\" {\n  context = \".\"\n}\ntarget \"Web_UI\" {\n  context = \".\"\n}\n",
            ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\n",
        });

        var result = await _harness.BuildAsync(_repository.Path, repository);

        result.ExitCode.ShouldBe(2, result.Stdout);
        result.Stderr.ShouldContain("Bake target 'api'");
        result.Stderr.ShouldContain("at most 255");
        result.Stderr.ShouldContain("Bake target 'Web_UI'");
        result.Json!["error"]!["logTail"].ShouldBeNull();
    }

    public void Dispose()
    {
        _harness.Dispose();
        _repository.Dispose();
    }
}
