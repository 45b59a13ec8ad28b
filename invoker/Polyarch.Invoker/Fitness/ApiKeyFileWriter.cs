using Microsoft.Extensions.Options;

namespace Polyarch.Invoker.Fitness;

/// <summary>With Service:RequireApiKey on, loads the API key at start-up, generating secrets/invoker-api.key (0600) so scripts can read it before the first call.</summary>
internal sealed class ApiKeyFileWriter(IOptions<ServiceOptions> options, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.RequireApiKey)
        {
            services.GetRequiredService<ApiKey>();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
