using System.CommandLine;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Hosting.Logging;
using Serilog;

namespace Polyarch.Builder.Hosting;

/// <summary>`polyarch-builder serve`: the long-running service (webhooks, REST API, build queue).</summary>
internal static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on (loopback only unless you mean otherwise)",
            DefaultValueFactory = _ => DefaultUrls,
        };
        var command = new Command("serve", "Run the polyarch-builder service (REST API, webhooks and the build queue)") { urls };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var app = Build([$"--{ServiceLogOptions.SectionName}:{nameof(ServiceLogOptions.Format)}={parseResult.GetValue<LogFormat>(CliLogging.LogFormatName)}"], parseResult.GetValue(urls)!);
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>The host setting that keeps configuration files from being watched for changes (a restart applies them).</summary>
    internal const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>The web application of `serve` (tests host it directly on a free port).</summary>
    public static WebApplication Build(string[] args, string urls)
    {
        // appsettings.json is read once, not watched: the default reload puts a recursive watch on the working directory (376
        // inotify watches for a service started in a scratch directory; every directory below $HOME when started there) and
        // wakes the service on every file written below it — the builder's own checkouts and database included.
        var builder = WebApplication.CreateBuilder([NoConfigReload, .. args]);
        builder.Configuration.AddEnvironmentVariables("POLYARCH_");
        builder.WebHost.UseUrls(urls);
        builder.Services.AddOptions<ServiceLogOptions>().BindConfiguration(ServiceLogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSerilog((services, configuration) =>
            ServiceLogging.Configure(configuration, builder.Configuration, services.GetRequiredService<IOptions<ServiceLogOptions>>().Value));
        builder.Services.AddPolyarchBuilder(builder.Configuration).AddPolyarchBuilderWorker();
        // Before serve.json: the host announces itself (ApplicationStarted) only after the warm-up's StartedAsync.
        builder.Services.AddSingleton<ServiceWarmUpPieces>();
        builder.Services.AddHostedService<ServiceWarmUp>();
        builder.Services.AddHostedService<ServiceEndpointFile>();
        Readiness.ReadinessExtensions.AddPolyarchBuilderReadiness(builder.Services);
        Fitness.BuilderFitnessExtensions.AddPolyarchBuilderFitness(builder.Services, builder.Configuration, urls);

        var app = builder.Build();

        // Generate the webhook secret now (mode 0600) so scripts/post-receive and git servers can read it.
        app.Services.GetRequiredService<Webhooks.WebhookSecrets>().For(Webhooks.GitProvider.GitHub);
        app.UseSerilogRequestLogging();
        Fitness.BuilderFitnessExtensions.UsePolyarchBuilderFitness(app);
        app.MapPolyarchBuilder();
        Readiness.ReadinessExtensions.MapPolyarchBuilderReadiness(app);
        return app;
    }
}
