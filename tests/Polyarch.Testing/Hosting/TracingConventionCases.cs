using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Shouldly;

namespace Polyarch.Testing.Hosting;

/// <summary>
/// Issue 19: the tracing pair (BuilderTelemetry/InvokerTelemetry and their OTLP registrations) as THE SAME cases against
/// each service: nothing registered without OTEL_EXPORTER_OTLP_ENDPOINT; with it, the service's spans go to that endpoint
/// over OTLP, named after the service.
/// </summary>
public abstract class TracingConventionCases(ServiceUnderTest service)
{
    private const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static TheoryData<string?> Unset => new() { null, "", "   " };

    [Theory]
    [MemberData(nameof(Unset))]
    public void WithoutTheEndpoint_NothingIsRegistered(string? endpoint)
    {
        var services = new ServiceCollection();

        service.AddTracing(services, Configuration(new Dictionary<string, string?> { [EndpointVariable] = endpoint }));

        services.ShouldBeEmpty("no OTLP endpoint: no tracer provider, no listener, no exporter");
        using var provider = services.BuildServiceProvider();
        provider.GetService<TracerProvider>().ShouldBeNull();
    }

    [Fact]
    public async Task WithTheEndpoint_TheServicesSpansArePostedThere_OverOtlp()
    {
        var port = TestPorts.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        // Answered at once: the exporter waits for the answer while the provider shuts down.
        var received = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            context.Response.StatusCode = 200;
            context.Response.Close();
            return (Method: context.Request.HttpMethod, Path: context.Request.Url!.AbsolutePath, Body: System.Text.Encoding.Latin1.GetString(body.ToArray()));
        });
        var configuration = Configuration(new Dictionary<string, string?>
        {
            [EndpointVariable] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();

        service.AddTracing(services, configuration);
        await using (var provider = services.BuildServiceProvider())
        {
            provider.GetService<TracerProvider>().ShouldNotBeNull();
            using var source = new ActivitySource(service.TelemetrySourceName);
            using (var span = source.StartActivity($"cases-{service.Name}"))
            {
                span.ShouldNotBeNull("the service's ActivitySource has a listener once the tracer provider exists");
            }
        }

        // Disposing the provider flushed the batch.
        var finished = await Task.WhenAny(received, Task.Delay(TimeSpan.FromSeconds(30), TimeProvider.System));
        finished.ShouldBe(received, $"nothing was posted to {EndpointVariable}");
        var (method, path, bytes) = await received;
        method.ShouldBe("POST");
        path.ShouldBe("/v1/traces");
        bytes.ShouldContain($"polyarch-{service.Name}", customMessage: "service.name");
        bytes.ShouldContain($"cases-{service.Name}");
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
