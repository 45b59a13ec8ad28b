using Microsoft.Extensions.Options;
using Polyarch.Invoker.Placement;
using Polyarch.Invoker.Platforms;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>The engine's native platform, the QEMU-emulated ones, GPUs, memory and CPUs — read once.</summary>
internal sealed class DockerInventoryProvider(DockerClientProvider docker, IOptions<DockerBackendOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private BackendInventory? _inventory;

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

            var info = await docker.Client.System.GetSystemInfoAsync(cancellationToken);
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
