using System.Net.Http.Headers;
using System.Text.Json;
using Docker.DotNet;

namespace Polyarch.Testing;

/// <summary>
/// Checks, once per test process, that the container host scripts/host.sh brings up is there: the engine,
/// the QEMU handlers, the registry and the multi-arch base image. Integration tests call
/// <see cref="EnsureUpAsync"/> and fail loudly (never skip) when it is not.
/// </summary>
public static class ContainerHost
{
    private static readonly Lazy<Task> Check = new(CheckAsync);

    /// <summary>Throws <see cref="ContainerHostMissingException"/> naming what is missing.</summary>
    public static Task EnsureUpAsync() => Check.Value;

    /// <summary>A client for the local engine.</summary>
    public static DockerClient CreateDockerClient() =>
        new DockerClientBuilder().WithEndpoint(new Uri("unix:///var/run/docker.sock")).Build();

    private static async Task CheckAsync()
    {
        using (var docker = CreateDockerClient())
        {
            try
            {
                await docker.System.PingAsync();
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or DockerApiException or TimeoutException
                                           or System.Net.Sockets.SocketException)
            {
                throw new ContainerHostMissingException($"the Docker engine at /var/run/docker.sock does not answer ({ex.Message})");
            }
        }

        foreach (var handler in new[] { "qemu-aarch64", "qemu-ppc64le" })
        {
            var path = $"/proc/sys/fs/binfmt_misc/{handler}";
            if (!File.Exists(path) || !(await File.ReadAllTextAsync(path)).StartsWith("enabled", StringComparison.Ordinal))
            {
                throw new ContainerHostMissingException($"the QEMU binfmt handler {handler} is not enabled ({path})");
            }
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var baseUrl = $"http://{HostSettings.Registry}/v2/";
        try
        {
            using var ping = await http.GetAsync(baseUrl);
            ping.EnsureSuccessStatusCode();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new ContainerHostMissingException($"the registry at {baseUrl} does not answer ({ex.Message})");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}polyarch/busybox/manifests/latest");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.index.v1+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.list.v2+json"));
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new ContainerHostMissingException($"the base image {HostSettings.BaseImage} is not in the registry (HTTP {(int)response.StatusCode})");
        }

        using var index = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var architectures = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Where(m => m.TryGetProperty("platform", out _))
            .Select(m => m.GetProperty("platform").GetProperty("architecture").GetString())
            .ToHashSet();
        var missing = new[] { "amd64", "arm64", "ppc64le" }.Where(a => !architectures.Contains(a)).ToList();
        if (missing.Count > 0)
        {
            throw new ContainerHostMissingException($"the base image {HostSettings.BaseImage} lacks {string.Join(", ", missing)}");
        }
    }
}
