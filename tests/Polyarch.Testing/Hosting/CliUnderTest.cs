using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Polyarch.Testing.Hosting;

/// <summary>
/// One CLI (polyarch-builder or polyarch-invoker) as the shared CLI cases see it: the real executable run as a process, and
/// the verbs each case runs. Builder and invoker share no code, so each test project implements this over its own CLI.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public abstract class CliUnderTest
{
    /// <summary>The executable's name (polyarch-builder, polyarch-invoker): what the completion script completes.</summary>
    public abstract string Executable { get; }

    /// <summary>The variable that names a running service (POLYARCH_BUILDER_URL, POLYARCH_INVOKER_URL).</summary>
    public abstract string UrlVariable { get; }

    /// <summary>
    /// Every verb that prints a document, as run on an empty state directory (without <c>--output</c>): answers, and
    /// failures that print an error document. Verbs that change state are given so that running them twice prints the same.
    /// </summary>
    public abstract IReadOnlyList<string[]> DocumentVerbs { get; }

    /// <summary>Every verb for the logging cases (the document verbs and those that print none, such as builder's <c>build</c>).</summary>
    public abstract IReadOnlyList<string[]> LoggingVerbs { get; }

    /// <summary>A verb that reads from the service when given <c>--url</c> (e.g. <c>builds list</c>, <c>actions list</c>).</summary>
    public abstract string[] RemoteVerb { get; }

    /// <summary>A verb prefix and a verb it completes to (e.g. "bui" → "builds").</summary>
    public abstract (string Prefix, string Verb) Completion { get; }

    /// <summary>The environment every run gets: its state directory, labels for what it starts.</summary>
    protected abstract IReadOnlyDictionary<string, string> Environment(string stateDirectory);

    private string Dll => Path.Combine(AppContext.BaseDirectory, $"{Executable}.dll");

    /// <summary>Runs the real executable (dotnet DLL ARGS) on <paramref name="stateDirectory"/>.</summary>
    public async Task<CliResult> RunAsync(string stateDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var result = await Cli.Wrap("dotnet")
            .WithArguments([Dll, .. arguments])
            .WithEnvironmentVariables(env =>
            {
                foreach (var (key, value) in Environment(stateDirectory).Concat(environment ?? new Dictionary<string, string>()))
                {
                    env.Set(key, value);
                }
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);
        return new CliResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>A directory holding an executable named <see cref="Executable"/> that runs this build's DLL (for shell scripts).</summary>
    public string WriteShim(string directory)
    {
        var shim = Path.Combine(directory, Executable);
        File.WriteAllText(shim, $"#!/bin/sh\nexec dotnet '{Dll}' \"$@\"\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }

    public override string ToString() => Executable;
}
