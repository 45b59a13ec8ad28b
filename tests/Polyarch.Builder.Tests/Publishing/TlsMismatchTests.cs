using Polyarch.Builder.Errors;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Polyarch.Builder.Tests.Publishing;

/// <summary>A registry that speaks HTTPS where the builder speaks plain HTTP: the error keeps the registry's own fix.</summary>
[Trait("Category", "Integration")]
public sealed class TlsMismatchTests(TlsRegistry tls) : IClassFixture<TlsRegistry>, IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("polyarch-builder-state-").FullName;

    [Fact]
    public async Task EnsureReachable_PlainHttpToAnHttpsRegistry_NamesTheFixNotStartingIt()
    {
        using var builder = BuilderServices.Create(_state, new Dictionary<string, string?> { ["Registry:UseDockerConfig"] = "false" });

        var exception = await Should.ThrowAsync<DependencyUnavailableException>(
            () => builder.GetRequiredService<IImagePublisher>().EnsureReachableAsync(tls.Address, CancellationToken.None));

        exception.Message.ShouldContain("the registry speaks HTTPS");
        exception.Message.ShouldContain($"`polyarch-builder registry profile {tls.Address} --ca FILE`");
        exception.Message.ShouldNotContain("Start it");
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);
}
