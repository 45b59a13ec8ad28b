using Microsoft.Extensions.Configuration;

namespace Polyarch.Builder.Cli;

/// <summary>
/// The configuration one-shot verbs read, as the host read it: appsettings.json in the working directory, environment
/// variables, then <c>POLYARCH_</c>-prefixed ones (the managed CLI and its Native AOT hand-off alike).
/// </summary>
internal static class CliConfiguration
{
    /// <summary>The configuration for the working directory.</summary>
    public static IConfigurationRoot Read() => Read(Directory.GetCurrentDirectory());

    /// <summary>The same, for <paramref name="directory"/>'s appsettings.json.</summary>
    public static IConfigurationRoot Read(string directory)
    {
        var builder = new ConfigurationBuilder();
        var settings = Path.Combine(directory, "appsettings.json");
        // Optional and never reloaded: a missing file adds nothing, so it is not added at all — the JSON file provider and
        // its file watcher set-up cost a one-shot CLI ~10 ms of loading and JIT (issue 18, P4).
        if (File.Exists(settings))
        {
            builder.AddJsonFile(settings, optional: true, reloadOnChange: false);
        }

        return builder.AddEnvironmentVariables().AddEnvironmentVariables("POLYARCH_").Build();
    }
}
