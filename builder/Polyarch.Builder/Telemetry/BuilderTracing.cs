using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Polyarch.Builder.Telemetry;

/// <summary>
/// OTLP export of the builder's spans (plus ASP.NET Core's and HttpClient's) when OTEL_EXPORTER_OTLP_ENDPOINT is set, as
/// every OpenTelemetry SDK does; nothing otherwise — no listener, so no span is even created. The exporter reads the
/// standard OTEL_* variables (endpoint, protocol, headers); the service is named polyarch-builder.
/// </summary>
internal static class BuilderTracing
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddBuilderTracing(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[EndpointVariable]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("polyarch-builder"))
            .WithTracing(tracing => tracing
                .AddSource(BuilderTelemetry.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        return services;
    }
}
