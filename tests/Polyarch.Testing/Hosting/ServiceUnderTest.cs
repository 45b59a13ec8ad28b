using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Polyarch.Testing.Hosting;

/// <summary>
/// One service (builder or invoker) as the shared hosting cases see it: its `serve` built in-process exactly as the
/// executable builds it (ServeCommand.Build), plus the few names that differ by service. Builder and invoker share no
/// code, so each test project implements this over its own service and runs <see cref="HostingConventionCases"/>.
/// </summary>
public abstract class ServiceUnderTest
{
    /// <summary>"builder" or "invoker": the secrets are secrets/NAME-api.key.</summary>
    public abstract string Name { get; }

    /// <summary>The API key file's name in secrets/.</summary>
    public string ApiKeyFileName => $"{Name}-api.key";

    /// <summary>The dependencies /readyz checks, by name.</summary>
    public abstract IReadOnlyList<string> ReadinessChecks { get; }

    /// <summary>A GET endpoint that needs the API key and answers 200 with it.</summary>
    public abstract string ProtectedPath { get; }

    /// <summary>An endpoint that takes a request body under Service:MaxRequestBodyBytes (not a webhook with its own limit).</summary>
    public abstract (HttpMethod Method, string Path) BodyEndpoint { get; }

    /// <summary>The setting that names the registry the service depends on (for /readyz).</summary>
    public abstract string RegistrySetting(string registry);

    /// <summary>The service's control-character escaper for log values (ControlCharacterEscaper.EscapeText).</summary>
    public abstract string EscapeText(string text);

    /// <summary>The service's secret-file creation (SecretFile.ReadOrCreate), as used for its API key.</summary>
    public abstract string ReadOrCreateSecret(string file);

    /// <summary>A logger configured as `serve` configures its own (ServiceLogging.Configure) with a rotating file.</summary>
    public abstract Serilog.Core.Logger CreateServiceLogger(string path, long fileSizeLimitBytes, int retainedFileCountLimit);

    /// <summary>The name of the service's ActivitySource (BuilderTelemetry/InvokerTelemetry.SourceName).</summary>
    public abstract string TelemetrySourceName { get; }

    /// <summary>The service's OTLP registration (BuilderTracing/InvokerTracing), as `serve` and the CLI call it.</summary>
    public abstract IServiceCollection AddTracing(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration);

    /// <summary>`serve`'s web application with its state in <paramref name="stateDirectory"/> and <paramref name="settings"/> (--Section:Key=value).</summary>
    protected abstract WebApplication Build(string stateDirectory, IReadOnlyList<string> settings, string urls);

    /// <summary>Builds and starts `serve` on <paramref name="urls"/> (default: a free loopback port).</summary>
    public async Task<RunningService> StartAsync(string stateDirectory, IEnumerable<string> settings, string urls = "http://127.0.0.1:0")
    {
        var app = Build(stateDirectory, [.. settings.Select(s => s.Replace("{state}", stateDirectory, StringComparison.Ordinal))], urls);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.ListeningAddress();
        return new RunningService(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(1) });
    }

    public override string ToString() => Name;
}
