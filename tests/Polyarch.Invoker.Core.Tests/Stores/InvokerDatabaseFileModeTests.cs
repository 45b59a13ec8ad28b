using System.Runtime.Versioning;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Core.Tests.Stores;

/// <summary>invoker.db holds action environment values: it and its WAL files are readable by their owner only.</summary>
[SupportedOSPlatform("linux")]
public sealed class InvokerDatabaseFileModeTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _dir = Directory.CreateTempSubdirectory("invoker-db-mode-").FullName;

    private string DatabasePath => Path.Combine(_dir, "invoker.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task NewDatabase_WithAnActionStored_ItsFileAndWalFilesAre0600()
    {
        using var database = new InvokerDatabase(DatabasePath);

        await StoreActionWithASecretAsync(database);

        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" })
        {
            File.Exists(file).ShouldBeTrue($"{file} should exist while a connection is pooled (WAL mode)");
            File.GetUnixFileMode(file).ShouldBe(OwnerOnly, $"{file} must be 0600");
        }
    }

    [Fact]
    public async Task DatabaseAnOlderVersionLeftWorldReadable_IsTightenedTo0600()
    {
        using (var older = new InvokerDatabase(DatabasePath))
        {
            await StoreActionWithASecretAsync(older);
        }

        SqliteConnection.ClearAllPools();
        File.SetUnixFileMode(DatabasePath, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var database = new InvokerDatabase(DatabasePath);
        await StoreActionWithASecretAsync(database);

        File.GetUnixFileMode(DatabasePath).ShouldBe(OwnerOnly);
    }

    private static Task StoreActionWithASecretAsync(InvokerDatabase database) =>
        new DbActionStore(database, new FakeTimeProvider()).PutAsync(
            new ActionDefinition
            {
                Name = "with-secret",
                Image = "127.0.0.1:5000/demo/echo:latest",
                Environment = new Dictionary<string, string> { ["API_TOKEN"] = "s3cret" },
            },
            CancellationToken.None);
}
