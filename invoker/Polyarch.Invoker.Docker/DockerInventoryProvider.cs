using Microsoft.Extensions.Options;
using Polyarch.Invoker.Placement;
using Polyarch.Invoker.Platforms;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>The engine's native platform, the QEMU-emulated ones, GPUs, memory and CPUs — read once.</summary>
internal sealed class DockerInventoryProvider(DockerClientProvider docker, IOptions<DockerBackendOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private BackendInventory? _inventory;

    /// <summary>Whether the inventory has been read (serve reads it at start-up, off the first activation's path).</summary>
    public bool IsRead => _inventory is not null;

    public async Task<BackendInventory> GetAsync(CancellationToken cancellationToken)
    {
        if (_inventory is { } cached)
        {
            return cached;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_inventory is not null)
            {
                return _inventory;
            }

            Docker.DotNet.Models.SystemInfoResponse info;
            try
            {
                info = await docker.Client.System.GetSystemInfoAsync(cancellationToken);
            }
            catch (System.Security.Authentication.AuthenticationException ex)
            {
                throw new EngineUnavailableException(
                    $"The TLS handshake with the Docker engine at {docker.Endpoint} failed: {ex.Message}. The engine's certificate must be " +
                    "signed by ca.pem and ours (cert.pem, key.pem) accepted by it: check DOCKER_CERT_PATH or the docker context's TLS files.", ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                throw new EngineUnavailableException(
                    $"The Docker engine at {docker.Endpoint} does not answer: {ex.Message}. Start it (`docker info` must answer), or point " +
                    "DOCKER_HOST, the docker context (DOCKER_CONTEXT, `docker context use`) or Docker:Endpoint at a running engine.", ex);
            }

            var (arch, variant) = PlatformName.NormalizeArchitecture(info.Architecture ?? "", null);
            var os = string.IsNullOrEmpty(info.OSType) ? "linux" : info.OSType;
            var native = variant is null ? $"{os}/{arch}" : $"{os}/{arch}/{variant}";
            var platforms = new List<BackendPlatform> { new(native, Emulated: false) };
            platforms.AddRange(BinfmtReader.ReadEmulatedPlatforms(options.Value.BinfmtDirectory)
                .Where(p => !PlatformName.IsCompatible(native, p))
                .Select(p => new BackendPlatform(p, Emulated: true)));

            _inventory = new BackendInventory("docker", info.Name ?? Environment.MachineName, platforms, CountGpus(info.Runtimes), info.MemTotal, (int)info.NCPU);
            return _inventory;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    private static int CountGpus(IDictionary<string, Docker.DotNet.Models.RuntimeWithStatus>? runtimes)
    {
        // GPUs are usable only through the NVIDIA container runtime; count the devices it would hand out.
        if (runtimes is null || !runtimes.ContainsKey("nvidia"))
        {
            return 0;
        }

        return Directory.Exists("/dev")
            ? Directory.EnumerateFiles("/dev", "nvidia*").Count(f => Path.GetFileName(f)["nvidia".Length..].All(char.IsAsciiDigit) && Path.GetFileName(f).Length > "nvidia".Length)
            : 0;
    }
}
