using Polyarch.Builder.Tests.Support;
using Polyarch.Testing.Hosting;

namespace Polyarch.Builder.Tests.Hosting;

/// <summary>polyarch-builder for the shared CLI cases: every verb that answers (or fails with a document) without a build running.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class BuilderCliUnderTest : CliUnderTest
{
    public override string Executable => "polyarch-builder";

    public override string UrlVariable => "POLYARCH_BUILDER_URL";

    public override IReadOnlyList<string[]> DocumentVerbs { get; } =
    [
        ["builds", "list"],
        ["builds", "get", "no-such-build"],
        ["builds", "logs", "no-such-build"],
        ["builds", "cancel", "no-such-build"],
        ["build", "/nonexistent/polyarch-repository", "--in-process"],
        ["manifest", "inspect", "127.0.0.1:9/demo/nothing:latest"],
    ];

    // `build` of a real repository logs through the builder's own loggers (the git fetch, the build's start) before the
    // registry that does not answer fails it: those events must be JSON too.
    public override IReadOnlyList<string[]> LoggingVerbs =>
        [.. DocumentVerbs, ["build", Repository.Value.Path, "--in-process", "--registry", "127.0.0.1:9", "--platforms", "linux/amd64"]];

    private static readonly Lazy<TestGitRepository> Repository = new(() =>
    {
        var repository = new TestGitRepository();
        repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\nCOPY Dockerfile /\n" });
        return repository;
    });

    public override string[] RemoteVerb => ["builds", "list"];

    public override (string Prefix, string Verb) Completion => ("bui", "builds");

    protected override IReadOnlyDictionary<string, string> Environment(string stateDirectory) => new Dictionary<string, string>
    {
        ["POLYARCH_STATE_DIR"] = stateDirectory,
        ["POLYARCH_Builder__StateDirectory"] = stateDirectory,
        ["POLYARCH_Builder__CacheDirectory"] = System.IO.Path.Combine(stateDirectory, "cache"),
    };
}
