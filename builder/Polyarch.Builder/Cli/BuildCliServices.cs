using Polyarch.Builder.Hosting;
using Polyarch.Builder.Hosting.Logging;
using Polyarch.Registry.Http;
using Serilog;
using Serilog.Events;

namespace Polyarch.Builder.Cli;

/// <summary>
/// The services of one <c>build</c> run: the builder's graph over plain configuration, without a Generic Host (no
/// hosted services, lifetime, file watchers or host configuration a one-shot process never uses) and with the
/// registry's one-shot HTTP pipeline. Configuration as the host read it: appsettings.json in the working directory,
/// environment variables, then <c>POLYARCH_</c>-prefixed ones.
/// </summary>
internal static class BuildCliServices
{
    /// <summary>The configuration one-shot verbs read (<see cref="CliConfiguration"/>).</summary>
    public static IConfigurationRoot Configuration() => CliConfiguration.Read();

    /// <summary>The same, for <paramref name="directory"/>'s appsettings.json.</summary>
    public static IConfigurationRoot Configuration(string directory) => CliConfiguration.Read(directory);

    public static ServiceProvider Create(string? builderName, bool verbose)
    {
        var configuration = Configuration();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        // The process's one logger (Program.cs: --verbose, --log-format). The CLI reports failures itself; warnings would
        // repeat them, so its level goes up to errors (the global --verbose still shows everything).
        if (!verbose)
        {
            CliLogging.RaiseTo(LogEventLevel.Error);
        }

        services.AddSerilog(dispose: false);
        services.AddPolyarchBuilder(configuration, RegistryHttpPipeline.OneShot);
        services.PostConfigure<BuilderOptions>(o => o.BuilderName = builderName ?? o.BuilderName);
        services.AddSingleton<BuildCommandHandler>();
        var provider = services.BuildServiceProvider();
        // No Generic Host starts the tracer here: resolving it does (when OTEL_EXPORTER_OTLP_ENDPOINT is set); disposing
        // the provider at exit flushes the spans.
        _ = provider.GetService<OpenTelemetry.Trace.TracerProvider>();
        return provider;
    }
}
