using System.CommandLine;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Hosting.Cli;
using Polyarch.Invoker.Hosting.Logging;
using Polyarch.Invoker.Hosting.Rest;
using Serilog;

namespace Polyarch.Invoker.Hosting;

/// <summary>`polyarch-invoker serve`: the long-running service.</summary>
internal static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5090";

    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on (loopback only unless you mean otherwise)",
            DefaultValueFactory = _ => DefaultUrls,
        };
        var command = new Command("serve", "Run the polyarch-invoker service (REST API)") { urls };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var app = Build([$"--{ServiceLogOptions.SectionName}:{nameof(ServiceLogOptions.Format)}={parseResult.GetValue<LogFormat>(CliLogging.LogFormatName)}"], parseResult.GetValue(urls)!);
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The thread pool's floor of worker threads while `serve` runs. Some of its calls block the thread they run on (the
    /// SQLite stores': Microsoft.Data.Sqlite's async methods complete synchronously, and a writer waiting for the
    /// database's lock sleeps in it). With the default floor — one worker per core — two such calls on a 2-core host
    /// starved every request until the pool injected a thread, about half a second later: the P7 benchmark (issue 18)
    /// stalled 550–620 ms in 3 of 5 runs, and in none of 7 with this floor. The pool creates these threads only when work
    /// waits for them.
    /// </summary>
    internal const int MinWorkerThreads = 32;

    /// <summary>The host setting that keeps configuration files from being watched for changes (a restart applies them).</summary>
    internal const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>
    /// The web application of `serve` (tests host it with WebApplicationFactory or directly; <paramref name="configureServices"/>
    /// lets them put a recording fake at a true boundary, e.g. the workflow engine).
    /// </summary>
    public static WebApplication Build(string[] args, string urls, Action<IServiceCollection>? configureServices = null)
    {
        RaiseThreadPoolFloor();
        // appsettings.json is read once, not watched: the default reload puts a recursive watch on the working directory (376
        // inotify watches for a service started in a scratch directory; every directory below $HOME when started there) and
        // wakes the service on every file written below it — the builder's own checkouts and database included.
        var builder = WebApplication.CreateBuilder([NoConfigReload, .. args]);
        builder.Configuration.AddEnvironmentVariables("POLYARCH_");
        builder.WebHost.UseUrls(urls);
        builder.Services.AddOptions<ServiceLogOptions>().BindConfiguration(ServiceLogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSerilog((services, configuration) =>
            ServiceLogging.Configure(configuration, builder.Configuration, services.GetRequiredService<IOptions<ServiceLogOptions>>().Value));
        builder.Services.AddPolyarchInvoker(builder.Configuration);
        builder.Services.AddHostedService<InvokerStartup>();
        if (!BackendOption.IsKubernetes(builder.Configuration[$"{InvokerOptions.SectionName}:Backend"]))
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<DockerEngine.ExitedContainerSweeper>());
        }

        // After InvokerStartup (which removes the containers of the last run): settles the non-blocking calls it left.
        builder.Services.AddSingleton<Invocation.AcceptedActivationRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Invocation.AcceptedActivationRunner>());
        // Resumes the workflow runs the last run of this invoker (or a replica that died) left, and takes up runs a CLI started.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Workflows.WorkflowEngine>());
        Triggers.TriggersServiceCollectionExtensions.AddPolyarchTriggerProcessing(builder.Services);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Activations.ActivationPruner>());
        Fitness.FitnessExtensions.AddPolyarchFitness(builder.Services, builder.Configuration, urls);
        Dashboard.DashboardEndpoints.AddPolyarchDashboard(builder.Services, builder.Configuration);
        Readiness.ReadinessExtensions.AddPolyarchInvokerReadiness(builder.Services);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseSerilogRequestLogging(options => options.GetLevel = ServiceLogging.RequestLevel);
        Fitness.FitnessExtensions.UsePolyarchFitness(app);
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).AllowAnonymous();
        app.MapInvokerApi();
        RegistryWebhookEndpoint.MapRegistryWebhook(app);
        RuleEndpoints.MapRuleApi(app);
        WorkflowEndpoints.MapWorkflowApi(app);
        Readiness.ReadinessExtensions.MapPolyarchInvokerReadiness(app);
        Dashboard.DashboardEndpoints.MapPolyarchDashboard(app);
        return app;
    }

    /// <summary>Raises the worker threads' floor to <see cref="MinWorkerThreads"/>, never lowers one set higher (runtimeconfig, DOTNET_ThreadPool_*).</summary>
    internal static void RaiseThreadPoolFloor()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < MinWorkerThreads)
        {
            ThreadPool.SetMinThreads(MinWorkerThreads, completionPorts);
        }
    }
}
