using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Hosting;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Tests.Hosting;

/// <summary>What `serve` finishes before it exits (no container host: the host is built and disposed, never started).</summary>
public sealed class ServeShutdownTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-shutdown-").FullName;

    /// <summary>
    /// Activation records are written off the invocation path (ActivationRecorder's queue); disposing `serve`'s services
    /// must write what is queued. The recorder sat under MeteredActivationStore, created by calling its factory, so the
    /// container never owned it: nothing flushed it, and a record saved as serve stopped (a cancelled activation's
    /// "the invoker stopped" record) was lost when the process exited before the background writer got to it.
    /// </summary>
    [Fact]
    public async Task Records_queued_when_serve_stops_are_all_stored_before_its_services_are_gone()
    {
        const int queued = 3000;
        var app = ServeCommand.Build([$"--Invoker:StateDirectory={_state}"], "http://127.0.0.1:0");
        var store = app.Services.GetRequiredService<IActivationStore>();
        var start = DateTimeOffset.Parse("2026-12-02T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < queued; i++)
        {
            await store.SaveAsync(Record($"{i:x32}", start.AddMilliseconds(i)), CancellationToken.None);
        }

        await app.DisposeAsync();

        using var database = new InvokerDatabase(Path.Combine(_state, "invoker.db"));
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var count = connection.Command("SELECT COUNT(*) FROM activations");
        ((long)(await count.ExecuteScalarAsync())!).ShouldBe(queued, "every record queued before serve's services were disposed should be in the store");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }

    private static ActivationRecord Record(string id, DateTimeOffset start) => new()
    {
        ActivationId = id,
        Action = "echo",
        Image = "127.0.0.1:5000/demo/echo:latest",
        Platform = "linux/amd64",
        Backend = "docker",
        Start = start,
        End = start.AddMilliseconds(5),
        Status = ActivationStatus.SystemError,
        Result = new JsonObject { ["error"] = AcceptedActivationRunner.StoppedWhileRunning },
    };
}
