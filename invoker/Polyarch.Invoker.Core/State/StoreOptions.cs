using System.ComponentModel.DataAnnotations;

namespace Polyarch.Invoker.State;

/// <summary>Where the invoker's state lives (section <c>Store</c>, env <c>POLYARCH_Store__…</c>; the builder uses the same names).</summary>
public sealed class StoreOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Store";

    /// <summary><c>sqlite</c> (one process, invoker.db under the state directory) or <c>postgres</c> (shared by replicas).</summary>
    /// <value>Defaults to <c>sqlite</c>.</value>
    [Required]
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Store:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>The Npgsql connection string (postgres only; never logged).</summary>
    /// <value>Defaults to <c>null</c>: read from <see cref="ConnectionStringFile"/>.</value>
    public string? ConnectionString { get; set; }

    /// <summary>A file holding the connection string, as <c>scripts/postgres.sh up</c> writes it.</summary>
    /// <value>Defaults to <c>null</c>: <c>secrets/postgres.connection</c> under the state directory.</value>
    public string? ConnectionStringFile { get; set; }

    /// <summary>How long a replica owns a push, firing or accepted activation without renewing it; then another takes it over.</summary>
    /// <value>Defaults to 30 seconds (renewed every third of it).</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the store is PostgreSQL.</summary>
    public bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.Ordinal);

    /// <summary>The connection string: <see cref="ConnectionString"/>, else the content of the connection-string file.</summary>
    public string ResolveConnectionString(string stateDirectory)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return ConnectionString;
        }

        var file = ConnectionStringFile ?? Path.Combine(stateDirectory, "secrets", "postgres.connection");
        if (!File.Exists(file))
        {
            throw new InvalidOperationException(
                $"Store:Provider is postgres but there is no Store:ConnectionString and {file} does not exist. " +
                "Run 'scripts/postgres.sh up' (it writes that file) or set Store:ConnectionString / POLYARCH_Store__ConnectionString.");
        }

        return File.ReadAllText(file).Trim();
    }
}
