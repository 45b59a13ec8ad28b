using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Tests.Support;

/// <summary>
/// Hosts the builder's real endpoints and services in memory. The entry point is a command line
/// (serve/build), so the host is built from the same AddPolyarchBuilder/MapPolyarchBuilder calls serve uses.
/// </summary>
public sealed class BuilderAppFactory : WebApplicationFactory<Program>
{
    public const string Secret = "it's a secret to everybody";
    private readonly TempDirectory _state = new();
    private readonly Dictionary<string, string?> _settings;

    public BuilderAppFactory(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Builder:StateDirectory"] = _state.Path,
            ["Builder:CacheDirectory"] = System.IO.Path.Combine(_state.Path, "cache"),
            ["Builder:ProcessQueue"] = "false",
            ["Builder:Webhooks:Secret"] = Secret,
            ["Builder:Webhooks:MaxBodyBytes"] = "65536",
            ["Builder:Allowlist:0:UrlPattern"] = "https://git.example.com/team/*",
            ["Builder:Allowlist:0:Repository"] = "demo/{name}",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string StateDirectory => _state.Path;

    protected override IHostBuilder CreateHostBuilder() =>
        Host.CreateDefaultBuilder()
            .ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings))
            .ConfigureWebHostDefaults(web => web
                .UseContentRoot(AppContext.BaseDirectory)
                .ConfigureServices((context, services) =>
                {
                    services.AddRouting();
                    services.AddPolyarchBuilder(context.Configuration).AddPolyarchBuilderWorker();
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseEndpoints(endpoints => endpoints.MapPolyarchBuilder());
                }));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _state.Dispose();
        }
    }
}
