using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polyarch.Builder.Buildx;

namespace Polyarch.Builder.Hosting.Readiness;

/// <summary>The Docker engine buildx runs on answers (<c>docker version</c> through Builder:DockerPath).</summary>
internal sealed class EngineReadinessCheck(DockerCli docker) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await docker.RunAsync(["version", "--format", "{{.Server.Version}}"], Path.GetTempPath(), null, cancellationToken).ConfigureAwait(false);
            return result.ExitCode == 0
                ? HealthCheckResult.Healthy($"Docker engine {result.StandardOutput.Trim()}")
                : HealthCheckResult.Unhealthy($"`{docker.DockerPath} version` failed: {result.StandardErrorTail.Trim()}. Start the engine (scripts/host.sh up) or set Builder:DockerPath / DOCKER_HOST.");
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or IOException or CliWrap.Exceptions.CliWrapException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"{docker.DockerPath} cannot be run: {exception.Message}. Install the docker client or set Builder:DockerPath.");
        }
    }
}
