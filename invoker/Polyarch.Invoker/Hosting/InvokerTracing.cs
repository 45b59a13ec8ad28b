using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Polyarch.Invoker.Telemetry;

namespace Polyarch.Invoker.Hosting;

/// <summary>
/// OTLP export of the invoker's spans (plus ASP.NET Core's and HttpClient's) when OTEL_EXPORTER_OTLP_ENDPOINT is set, as
/// every OpenTelemetry SDK does; nothing otherwise. The exporter reads the standard OTEL_* variables; service polyarch-invoker.
/// </summary>
internal static class InvokerTracing
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddInvokerTracing(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[EndpointVariable]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("polyarch-invoker"))
            .WithTracing(tracing => tracing
                .AddSource(InvokerTelemetry.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        return services;
    }
}
