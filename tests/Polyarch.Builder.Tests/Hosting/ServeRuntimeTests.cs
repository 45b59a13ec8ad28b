using System.Globalization;
using CliWrap;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Hosting;

/// <summary>
/// How a real `serve` process runs beside BuildKit: with tiered compilation off (ServeRuntime: its background tier-up cost
/// 0.7–1.3 s of CPU per build), by re-executing itself once — same process id, same arguments; a value the user set is
/// kept; with no file watch on the directory it was started in; with a thread pool that does not spin.
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
        var port = TestPorts.FreePort();
        await WhileServingAsync([ServeRuntime.TieredCompilationVariable, userValue], $"http://127.0.0.1:{port}", null, async pid =>
        {
            var record = ServiceEndpointRecord.TryRead(Path.Combine(_state.Path, "builder", ServiceEndpointFile.FileName))!;
            record.Pid.ShouldBe(pid, "the service re-executed itself in place (execve), not as a child");
            var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0');
            environment.Where(v => v.StartsWith(ServeRuntime.TieredCompilationVariable + "=", StringComparison.Ordinal))
                .ShouldHaveSingleItem().ShouldBe($"{ServeRuntime.TieredCompilationVariable}={expected}");
            var commandLine = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).TrimEnd('\0').Split('\0');
            commandLine[^3..].ShouldBe(["serve", "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"]);
            using var http = new HttpClient();
            (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).IsSuccessStatusCode.ShouldBeTrue();
        });
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

        await WhileServingAsync([], "http://127.0.0.1:0", start.Path, pid =>
        {
            // Every inotify instance of the process lists one "inotify wd:" line per watched directory.
            var watches = Directory.GetFiles($"/proc/{pid}/fdinfo")
                .Select(info => { try { return File.ReadAllLines(info); } catch (IOException) { return []; } })
                .Sum(lines => lines.Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal)));
            watches.ShouldBe(0);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public void Idle_thread_pool_workers_sleep_instead_of_spinning_beside_BuildKit()
    {
        // The runtime reads it from the runtimeconfig the builder ships (Polyarch.Builder.csproj says why).
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(BuilderProcess.Dll, ".runtimeconfig.json")));
        config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties")
            .GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32().ShouldBe(0);
    }

    /// <summary>
    /// Starts a real <c>dotnet polyarch-builder.dll serve</c> (no queue, no warm-up) with <paramref name="environment"/> (name,
    /// value pairs; a null value unsets), in <paramref name="workingDirectory"/>; once it announced itself (serve.json), runs
    /// <paramref name="check"/> with its process id, then stops it (SIGINT).
    /// </summary>
    private async Task WhileServingAsync(string?[] environment, string urls, string? workingDirectory, Func<int, Task> check)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var serve = CliWrap.Cli.Wrap("dotnet")
            .WithArguments([BuilderProcess.Dll, "serve", "--urls", urls])
            .WithWorkingDirectory(workingDirectory ?? Directory.GetCurrentDirectory())
            .WithEnvironmentVariables(env =>
            {
                env.Set("POLYARCH_Builder__StateDirectory", _state.Path).Set("POLYARCH_Builder__ProcessQueue", "false")
                    .Set("POLYARCH_Builder__WarmUpTimeout", "00:00:00");
                for (var i = 0; i + 1 < environment.Length; i += 2)
                {
                    env.Set(environment[i]!, environment[i + 1]);
                }
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(CancellationToken.None, stop.Token);
        try
        {
            var file = Path.Combine(_state.Path, "builder", ServiceEndpointFile.FileName);
            await Poll.UntilAsync(() => Task.FromResult(ServiceEndpointRecord.TryRead(file) is not null), TimeSpan.FromSeconds(60), "serve.json");
            await check(serve.ProcessId);
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

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _state.Dispose();
    }
}
