using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Polyarch.Builder.Cli;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Cli;

/// <summary>The one-shot verbs' configuration: appsettings.json when the directory has one, and no JSON provider (its load and JIT, issue 18 P4) when not.</summary>
public sealed class BuildCliConfigurationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void An_appsettings_json_in_the_directory_is_read_under_the_environment()
    {
        File.WriteAllText(Path.Combine(_directory.Path, "appsettings.json"), """{"Builder":{"StateDirectory":"/from/appsettings"},"Registry":{"InsecureHosts":["reg.lan:30501"]}}""");

        var configuration = BuildCliServices.Configuration(_directory.Path);

        configuration["Builder:StateDirectory"].ShouldBe(Environment.GetEnvironmentVariable("POLYARCH_Builder__StateDirectory") ?? "/from/appsettings");
        configuration["Registry:InsecureHosts:0"].ShouldBe(Environment.GetEnvironmentVariable("POLYARCH_Registry__InsecureHosts__0") ?? "reg.lan:30501");
        configuration.Providers.OfType<JsonConfigurationProvider>().ShouldHaveSingleItem();
    }

    [Fact]
    public void Without_an_appsettings_json_no_json_provider_is_set_up()
    {
        var configuration = BuildCliServices.Configuration(_directory.Path);

        configuration.Providers.OfType<JsonConfigurationProvider>().ShouldBeEmpty();
        configuration.Providers.Count().ShouldBe(2, "the environment, then POLYARCH_*");
    }

    public void Dispose() => _directory.Dispose();
}
