using System.Data;
using DbUp.Engine;

namespace Polyarch.Builder.Records;

/// <summary>
/// SQLite migration 2: <c>builds.warnings</c>. Releases before migrations added it at start-up when missing, so a database
/// may or may not have it; SQLite has no <c>ADD COLUMN IF NOT EXISTS</c>, hence a script that looks first.
/// </summary>
internal sealed class AddWarningsColumn : IScript
{
    public const string Name = "Polyarch.Builder.Records.Migrations.Sqlite.0002_builds_warnings";

    /// <inheritdoc />
    public string ProvideScript(Func<IDbCommand> dbCommandFactory)
    {
        using var command = dbCommandFactory();
        command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('builds') WHERE name = 'warnings'";
        var exists = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
        return exists ? "SELECT 1;" : "ALTER TABLE builds ADD COLUMN warnings TEXT;";
    }
}
