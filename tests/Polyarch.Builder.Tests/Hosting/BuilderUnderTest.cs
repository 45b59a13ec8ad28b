using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Telemetry;
using Polyarch.Builder.Fitness;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Hosting.Logging;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing.Hosting;
using Serilog;

namespace Polyarch.Builder.Tests.Hosting;

/// <summary>polyarch-builder's `serve` for the shared hosting cases (queue not processed: no build runs).</summary>
internal sealed class BuilderUnderTest : ServiceUnderTest
{
    public override string Name => "builder";

    public override IReadOnlyList<string> ReadinessChecks => ["engine", "registry", "store"];

    public override string ProtectedPath => "/v1/builds";

    public override (HttpMethod Method, string Path) BodyEndpoint => (HttpMethod.Get, "/v1/builds");

    public override string RegistrySetting(string registry) => $"--Builder:Registry={registry}";

    public override string TelemetrySourceName => Polyarch.Builder.Telemetry.BuilderTelemetry.SourceName;

    public override IServiceCollection AddTracing(IServiceCollection services, IConfiguration configuration) => services.AddBuilderTracing(configuration);

    public override string EscapeText(string text) => ControlCharacterEscaper.EscapeText(text);

    public override string ReadOrCreateSecret(string file) => SecretFile.ReadOrCreate(file);

    public override Serilog.Core.Logger CreateServiceLogger(string path, long fileSizeLimitBytes, int retainedFileCountLimit) =>
        ServiceLogging.Configure(
            new LoggerConfiguration(),
            new ConfigurationBuilder().Build(),
            new ServiceLogOptions { Path = path, FileSizeLimitBytes = fileSizeLimitBytes, RetainedFileCountLimit = retainedFileCountLimit }).CreateLogger();

    protected override WebApplication Build(string stateDirectory, IReadOnlyList<string> settings, string urls) =>
        ServeCommand.Build(
            [
                $"--Builder:StateDirectory={stateDirectory}",
                $"--Builder:CacheDirectory={stateDirectory}/cache",
                "--Builder:ProcessQueue=false",
                $"--Builder:Webhooks:Secret={BuilderAppFactory.Secret}",
                .. settings,
            ],
            urls);
}
