using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using k8s.Models;
using Polyarch.Testing;

namespace Polyarch.Host.Tests.Deploy;

/// <summary>
/// The Deployments' required kubernetes.io/arch values are the architectures of the image they run — the same rule
/// the invoker applies to action pods. Checked against the bake target (no engine needed) and, with the container
/// host, against the index scripts/images.sh pushed.
/// </summary>
public sealed class AffinityFromIndexTests
{
    [Theory]
    [InlineData("invoker")]
    [InlineData("builder")]
    public async Task The_arch_affinity_is_the_bake_targets_platforms(string component)
    {
        var deployment = Kustomize.Load(await Kustomize.RenderAsync(component)).OfType<V1Deployment>().Single();

        var print = await Cli.Wrap(HostSettings.DockerCli)
            .WithArguments(["buildx", "bake", "--file", RepositoryRoot.Combine("docker-bake.hcl"), "--print", component])
            .WithWorkingDirectory(RepositoryRoot.Path)
            .ExecuteBufferedAsync();
        using var json = JsonDocument.Parse(print.StandardOutput);
        var platforms = json.RootElement.GetProperty("target").GetProperty(component).GetProperty("platforms")
            .EnumerateArray().Select(p => p.GetString()!).ToList();

        platforms.ShouldAllBe(p => p.StartsWith("linux/", StringComparison.Ordinal));
        ArchitectureAffinity.Of(deployment).ShouldBe(platforms.Select(p => p.Split('/')[1]).Order(StringComparer.Ordinal).ToList());
    }

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("invoker")]
    [InlineData("builder")]
    public async Task The_arch_affinity_is_the_pushed_indexs_architectures(string component)
    {
        var image = await ServiceImages.EnsureAsync(component);
        var deployment = Kustomize.Load(await Kustomize.RenderAsync(component)).OfType<V1Deployment>().Single();

        var architectures = await ServiceImages.ArchitecturesAsync(image);

        ArchitectureAffinity.Of(deployment).ShouldBe(architectures);
    }
}
