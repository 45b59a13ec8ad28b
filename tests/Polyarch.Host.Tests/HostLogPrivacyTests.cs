using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Polyarch.Testing;
using Polyarch.Testing.Hosting;

namespace Polyarch.Host.Tests;

/// <summary>
/// scripts/host.sh up in a state directory of its own (its own registry on a free port, notifying a listener that
/// stands in for polyarch-invoker): the webhook token reaches the listener and no log, and the logs are private.
/// </summary>
[Collection(HostCollection.Name)]
[Trait("Category", "Integration")]
[SupportedOSPlatform("linux")]
public sealed class HostLogPrivacyTests : IAsyncLifetime
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _state = Directory.CreateTempSubdirectory("polyarch-host-logs-").FullName;
    private readonly string _registry = $"127.0.0.1:{TestPorts.FreePort()}";
    private readonly string _postgresPort = TestPorts.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
    private readonly ConcurrentQueue<string> _authorizations = new();
    private WebApplication? _invoker;
    private string _invokerUrl = "";

    public async Task InitializeAsync()
    {
        await ContainerHost.EnsureUpAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _invoker = builder.Build();
        _invoker.MapPost("/v1/hooks/registry", (HttpRequest request) =>
        {
            _authorizations.Enqueue(request.Headers.Authorization.ToString());
            return Results.Ok();
        });
        await _invoker.StartAsync();
        _invokerUrl = _invoker.ListeningAddress();
    }

    public async Task DisposeAsync()
    {
        await RunAsync("down");
        await Engine.RemoveImagesFromAsync(_registry);
        if (_invoker is not null)
        {
            await _invoker.DisposeAsync();
        }

        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Up_keeps_the_webhook_token_out_of_every_log_and_makes_the_logs_private()
    {
        // Arrange: a token, and what an earlier version left behind — a world-readable registry.log in a 0755
        // directory with the token in distribution's start-up line.
        var token = "host-logs-" + Guid.NewGuid().ToString("N");
        var secrets = Directory.CreateDirectory(Path.Combine(_state, "secrets")).FullName;
        await File.WriteAllTextAsync(Path.Combine(secrets, "registry-webhook.token"), token);
        File.SetUnixFileMode(Path.Combine(secrets, "registry-webhook.token"), Private);
        var logs = Directory.CreateDirectory(Path.Combine(_state, "logs")).FullName;
        File.SetUnixFileMode(logs, PrivateDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await File.WriteAllTextAsync(
            Path.Combine(logs, "registry.log"),
            $"time=\"2026-11-30T09:05:57Z\" level=info msg=\"configuring endpoint polyarch-invoker ({_invokerUrl}/v1/hooks/registry), timeout=2s, headers=map[Authorization:[Bearer {token}]]\"\n");
        File.SetUnixFileMode(Path.Combine(logs, "registry.log"), Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        // The base image's busybox binaries of the host's own state: no package download for this registry.
        CopyDirectory(Path.Combine(HostSettings.StateDirectory, "base", "context"), Path.Combine(_state, "base", "context"));

        // Act: up starts the registry with the webhook and pushes the base image into it (the events are posted).
        var up = await RunAsync("up");

        // Assert
        up.ExitCode.ShouldBe(0, up.StandardOutput + up.StandardError);
        up.StandardOutput.ShouldContain($"Starting the registry on {_registry}");
        await Poll.UntilAsync(() => Task.FromResult(!_authorizations.IsEmpty), TimeSpan.FromSeconds(10), "the registry to post an event to the webhook listener");
        _authorizations.ShouldAllBe(header => header == $"Bearer {token}");

        File.GetUnixFileMode(logs).ShouldBe(PrivateDirectory, $"{logs} must be 0700");
        var files = Directory.GetFiles(logs, "*", SearchOption.AllDirectories);
        files.ShouldContain(Path.Combine(logs, "registry.log"));
        foreach (var file in files)
        {
            File.GetUnixFileMode(file).ShouldBe(Private, $"{file} must be 0600");
            var text = await File.ReadAllTextAsync(file);
            text.ShouldNotContain(token, Case.Sensitive, $"{file} holds the webhook token");
        }

        var registryLog = await File.ReadAllTextAsync(Path.Combine(logs, "registry.log"));
        registryLog.ShouldContain("configuring endpoint polyarch-invoker"); // the line is there, its secret is not
        registryLog.ShouldContain("Authorization:[redacted]");
        (up.StandardOutput + up.StandardError).ShouldNotContain(token);
    }

    private Task<BufferedCommandResult> RunAsync(string command) =>
        Cli.Wrap(RepositoryRoot.Combine("scripts", "host.sh"))
            .WithArguments([command])
            .WithEnvironmentVariables(env => env
                .Set("POLYARCH_STATE_DIR", _state)
                .Set("POLYARCH_REGISTRY", _registry)
                .Set("POLYARCH_POSTGRES_PORT", _postgresPort) // Its own PostgreSQL too: the host's answers on 5433 with another password.
                .Set("POLYARCH_INVOKER_URL", _invokerUrl))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.Exists(from) ? Directory.GetFiles(from, "*", SearchOption.AllDirectories) : [])
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
