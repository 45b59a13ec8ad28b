using System.CommandLine;
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
        var command = new Command("serve", "Run the polyarch-invoker service (REST API and webhooks)") { urls };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var builder = WebApplication.CreateBuilder();
            builder.Configuration.AddEnvironmentVariables("POLYARCH_");
            builder.WebHost.UseUrls(parseResult.GetValue(urls)!);
            builder.Services.AddSerilog((services, configuration) => configuration
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose));

            var app = builder.Build();
            app.UseSerilogRequestLogging();
            app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
