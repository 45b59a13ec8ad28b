using System.Globalization;
using CliWrap;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Hosting;

/// <summary>
/// A real `serve` process runs with tiered compilation off (ServeRuntime: its background tier-up cost 0.7–1.3 s of CPU per
/// build, beside BuildKit), by re-executing itself once: same process id, same arguments; a value the user set is kept.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ServeRuntimeTests : IDisposable
{
    private readonly TempDirectory _state = new();

    [Theory]
    [InlineData(null, "0")]
    [InlineData("1", "1")]
    public async Task Serve_runs_without_tiered_compilation_in_the_process_it_was_started_as_unless_the_user_chose(string? userValue, string expected)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var port = TestPorts.FreePort();
        var serve = CliWrap.Cli.Wrap("dotnet")
            .WithArguments([BuilderProcess.Dll, "serve", "--urls", $"http://127.0.0.1:{port}"])
            .WithEnvironmentVariables(env =>
            {
                env.Set("POLYARCH_Builder__StateDirectory", _state.Path).Set("POLYARCH_Builder__ProcessQueue", "false")
                    .Set("POLYARCH_Builder__WarmUpTimeout", "00:00:00").Set(ServeRuntime.TieredCompilationVariable, userValue);
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(CancellationToken.None, stop.Token);
        try
        {
            var file = Path.Combine(_state.Path, "builder", ServiceEndpointFile.FileName);
            await Poll.UntilAsync(() => Task.FromResult(ServiceEndpointRecord.TryRead(file) is not null), TimeSpan.FromSeconds(60), "serve.json");
            var record = ServiceEndpointRecord.TryRead(file)!;

            record.Pid.ShouldBe(serve.ProcessId, "the service re-executed itself in place (execve), not as a child");
            var environment = (await File.ReadAllTextAsync($"/proc/{serve.ProcessId}/environ")).Split('\0');
            environment.Where(v => v.StartsWith(ServeRuntime.TieredCompilationVariable + "=", StringComparison.Ordinal))
                .ShouldHaveSingleItem().ShouldBe($"{ServeRuntime.TieredCompilationVariable}={expected}");
            var commandLine = (await File.ReadAllTextAsync($"/proc/{serve.ProcessId}/cmdline")).TrimEnd('\0').Split('\0');
            commandLine[^3..].ShouldBe(["serve", "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"]);
            using var http = new HttpClient();
            (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).IsSuccessStatusCode.ShouldBeTrue();
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await serve;
            }
            catch (OperationCanceledException)
            {
                // Stopped by the test (SIGINT).
            }
        }
    }

    [Fact]
    public async Task Serve_puts_no_file_watch_on_the_directory_it_was_started_in()
    {
        // Started in a directory with a tree below it, as from a home directory: the host's default config reload would
        // watch every directory of it (inotify), waking the service on each file written there.
        using var start = new TempDirectory();
        for (var i = 0; i < 20; i++)
        {
            Directory.CreateDirectory(Path.Combine(start.Path, $"project-{i}", "src", "obj"));
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var serve = CliWrap.Cli.Wrap("dotnet")
            .WithArguments([BuilderProcess.Dll, "serve", "--urls", "http://127.0.0.1:0"])
            .WithWorkingDirectory(start.Path)
            .WithEnvironmentVariables(env => env.Set("POLYARCH_Builder__StateDirectory", _state.Path).Set("POLYARCH_Builder__ProcessQueue", "false")
                .Set("POLYARCH_Builder__WarmUpTimeout", "00:00:00"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(CancellationToken.None, stop.Token);
        try
        {
            var file = Path.Combine(_state.Path, "builder", ServiceEndpointFile.FileName);
            await Poll.UntilAsync(() => Task.FromResult(ServiceEndpointRecord.TryRead(file) is not null), TimeSpan.FromSeconds(60), "serve.json");

            // Every inotify instance of the process lists one "inotify wd:" line per watched directory.
            var watches = Directory.GetFiles($"/proc/{serve.ProcessId}/fdinfo")
                .Select(info => { try { return File.ReadAllLines(info); } catch (IOException) { return []; } })
                .Sum(lines => lines.Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal)));
            watches.ShouldBe(0);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await serve;
            }
            catch (OperationCanceledException)
            {
                // Stopped by the test (SIGINT).
            }
        }
    }

    [Fact]
    public void Idle_thread_pool_workers_sleep_instead_of_spinning_beside_BuildKit()
    {
        // The runtime reads it from the runtimeconfig the builder ships (Polyarch.Builder.csproj says why).
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(BuilderProcess.Dll, ".runtimeconfig.json")));
        config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties")
            .GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32().ShouldBe(0);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _state.Dispose();
    }
}
