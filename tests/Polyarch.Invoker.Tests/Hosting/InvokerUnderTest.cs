using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.Fitness;
using Polyarch.Invoker.Hosting;
using Polyarch.Invoker.Hosting.Logging;
using Polyarch.Invoker.State;
using Polyarch.Testing;
using Polyarch.Testing.Hosting;
using Serilog;

namespace Polyarch.Invoker.Tests.Hosting;

/// <summary>polyarch-invoker's `serve` for the shared hosting cases (pushes not processed).</summary>
internal sealed class InvokerUnderTest : ServiceUnderTest
{
    public override string Name => "invoker";

    public override IReadOnlyList<string> ReadinessChecks => ["backend", "store", "registry"];

    public override string ProtectedPath => "/v1/actions";

    // PUT /v1/actions takes a code action's code beyond the limit (Invoker:MaxCodeBytes); invocations keep the plain one.
    public override (HttpMethod Method, string Path) BodyEndpoint => (HttpMethod.Post, "/v1/actions/big/invocations");

    public override string RegistrySetting(string registry) => $"--Triggers:DefaultRegistry={registry}";

    public override string TelemetrySourceName => Polyarch.Invoker.Telemetry.InvokerTelemetry.SourceName;

    public override IServiceCollection AddTracing(IServiceCollection services, IConfiguration configuration) => services.AddInvokerTracing(configuration);

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
                $"--Invoker:InstanceId=t{TestRun.Id}-conv",
                $"--Invoker:StateDirectory={stateDirectory}",
                $"--Docker:ExtraLabels:{TestRun.LabelKey}={TestRun.Id}",
                "--Triggers:WebhookToken=hosting-convention-webhook-token",
                "--Triggers:ProcessPushes=false",
                .. settings,
            ],
            urls);
}
