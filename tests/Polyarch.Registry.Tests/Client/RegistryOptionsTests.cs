using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polyarch.Registry.Client;

namespace Polyarch.Registry.Tests.Client;

public sealed class RegistryOptionsTests
{
    [Fact]
    public void Validation_ReportsEveryProblemAtOnce()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPolyarchRegistry(o =>
        {
            o.InsecureHosts.Add("reg.lan:30501");
            o.InsecureHosts.Add("not a host");
            o.AttemptTimeout = TimeSpan.FromMinutes(5);
            o.TotalTimeout = TimeSpan.FromMinutes(1);
            o.MaxRetries = 99;
            o.TagCacheDuration = TimeSpan.FromDays(2);
        });
        using var provider = services.BuildServiceProvider();

        var exception = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RegistryOptions>>().Value);

        exception.Failures.Count().ShouldBe(4);
        exception.Message.ShouldContain("'not a host'");
        exception.Message.ShouldContain("MaxRetries");
        exception.Message.ShouldContain("TagCacheDuration");
        exception.Message.ShouldContain("AttemptTimeout");
    }

    [Fact]
    public void Validation_CaFiles_NeedAHostWithoutPortAndAnExistingFile()
    {
        var existing = Path.GetTempFileName();
        try
        {
            var services = new ServiceCollection().AddLogging();
            services.AddPolyarchRegistry(o =>
            {
                o.CaFiles["reg.lan"] = existing;
                o.CaFiles["reg.lan:5443"] = existing;
                o.CaFiles["other.lan"] = "/nonexistent/ca.crt";
            });
            using var provider = services.BuildServiceProvider();

            var exception = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RegistryOptions>>().Value);

            exception.Failures.Count().ShouldBe(2);
            exception.Message.ShouldContain("'reg.lan:5443', which is not a host name (no port");
            exception.Message.ShouldContain("Registry:CaFiles:other.lan is '/nonexistent/ca.crt', which does not exist");
        }
        finally
        {
            File.Delete(existing);
        }
    }

    [Fact]
    public void Defaults_AreValid_AndTagsLiveTwoMinutes()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPolyarchRegistry();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<RegistryOptions>>().Value;

        options.TagCacheDuration.ShouldBe(TimeSpan.FromMinutes(2));
        provider.GetRequiredService<IImageResolver>().ShouldNotBeNull();
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("127.1.2.3:5000", "http://127.1.2.3:5000/")]
    [InlineData("localhost:5000", "http://localhost:5000/")]
    [InlineData("localhost", "http://localhost/")]
    [InlineData("[::1]:5000", "http://[::1]:5000/")]
    [InlineData("reg.lan:30501", "http://reg.lan:30501/")]
    [InlineData("other.lan", "http://other.lan/")]
    [InlineData("reg.lan:30502", "https://reg.lan:30502/")]
    [InlineData("10.0.0.5:5000", "https://10.0.0.5:5000/")]
    [InlineData("128.0.0.1:5000", "https://128.0.0.1:5000/")]
    [InlineData("docker.io", "https://registry-1.docker.io/")]
    public void Endpoints_UsePlainHttpOnlyForLoopbackAndInsecureHosts(string registry, string expected) =>
        new RegistryEndpoints(["reg.lan:30501", "other.lan"]).BaseUri(registry).ToString().ShouldBe(expected);
}
