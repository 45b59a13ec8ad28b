using Microsoft.Extensions.Logging.Abstractions;
using Polyarch.Registry.Indexes;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Tests.Client;

public sealed class IndexAssemblerTests
{
    [Fact]
    public async Task Create_SourceInAnotherRegistry_IsRefusedBeforeAnyRequest()
    {
        using var host = new RegistryTestHost();
        var assembler = new IndexAssembler(host.Client, NullLogger<IndexAssembler>.Instance);

        var exception = await Should.ThrowAsync<IndexAssemblyException>(() => assembler.CreateAsync(
            ImageReference.Parse("127.0.0.1:5000/action:latest"),
            [ImageReference.Parse("127.0.0.1:5000/action:x86-64"), ImageReference.Parse("reg.lan:30501/action:ppc64le")]));

        exception.Message.ShouldContain("reg.lan:30501/action:ppc64le");
        exception.Message.ShouldContain("Push them to that registry first");
        host.Handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_TwoSourcesWithOnePlatform_NamesBothAndWritesNothing()
    {
        using var host = new RegistryTestHost();
        foreach (var tag in new[] { "a", "b" })
        {
            host.Handler.AddManifest("action", tag, FixturePaths.Manifest("docker-v2-image-arm64-manifest.json"), MediaTypes.DockerManifest);
        }

        host.Handler.AddBlob("action", FixturePaths.Manifest("docker-v2-image-arm64-config.json"));
        var assembler = new IndexAssembler(host.Client, NullLogger<IndexAssembler>.Instance);

        var exception = await Should.ThrowAsync<IndexAssemblyException>(() => assembler.CreateAsync(
            ImageReference.Parse("127.0.0.1:5000/action:latest"),
            [ImageReference.Parse("127.0.0.1:5000/action:a"), ImageReference.Parse("127.0.0.1:5000/action:b")]));

        exception.Message.ShouldContain("linux/arm64 from 127.0.0.1:5000/action:a and 127.0.0.1:5000/action:b");
        host.Handler.Requests.ShouldAllBe(r => r.Method == HttpMethod.Get);
    }
}
