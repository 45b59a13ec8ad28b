using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Polyarch.Builder.Hosting;

/// <summary>
/// Writes <c>$STATE/builder/serve.json</c> (0600: the address this <c>serve</c> listens on, its instance id and pid) once it
/// listens, and removes it when it stops: how a CLI on the same state directory finds the running service and hands it
/// its work, as the docker CLI finds dockerd.
/// </summary>
internal sealed class ServiceEndpointFile(
    IServer server, IHostApplicationLifetime lifetime, ServiceInstance instance, IOptions<BuilderOptions> options) : IHostedService
{
    public const string FileName = ServiceEndpointRecord.FileName;

    private readonly string _path = PathFor(options.Value);

    public static string PathFor(BuilderOptions options) => Path.Combine(StatePaths.BuilderDirectory(options.StateDirectory), FileName);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Write);
        lifetime.ApplicationStopping.Register(Remove);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The address a client on this machine reaches the server at (loopback when it listens on every interface).</summary>
    public static Uri? LocalAddress(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            return null;
        }

        var uri = new UriBuilder(address);
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
        {
            uri.Host = "127.0.0.1"; // Listening everywhere: the CLI on this machine speaks loopback.
        }

        return uri.Uri;
    }

    private void Write()
    {
        if (LocalAddress(server) is not { } uri)
        {
            return;
        }

        StatePaths.CreatePrivateDirectory(Path.GetDirectoryName(_path)!);
        var temporary = $"{_path}.{Environment.ProcessId}.tmp";
        var streamOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, streamOptions))
        {
            JsonSerializer.Serialize(stream, new ServiceEndpointRecord(uri.ToString().TrimEnd('/'), instance.Id, Environment.ProcessId), Polyarch.Builder.Records.BuildJsonContext.Default.ServiceEndpointRecord);
        }

        File.Move(temporary, _path, overwrite: true);
    }

    private void Remove()
    {
        // Only our own file: a newer service on the same state directory may have replaced it.
        if (ServiceEndpointRecord.TryRead(_path) is { } record && record.Instance == instance.Id)
        {
            File.Delete(_path);
        }
    }
}
