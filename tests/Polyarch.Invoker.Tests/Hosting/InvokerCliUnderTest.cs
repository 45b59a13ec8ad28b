using Polyarch.Testing;
using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Hosting;

/// <summary>polyarch-invoker for the shared CLI cases: every verb that answers from the local state (and `platforms`, from the engine).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class InvokerCliUnderTest : CliUnderTest
{
    public override string Executable => "polyarch-invoker";

    public override string UrlVariable => "POLYARCH_INVOKER_URL";

    public override IReadOnlyList<string[]> DocumentVerbs { get; } =
    [
        ["actions", "create", "conv-echo", "--image", "127.0.0.1:5000/demo/echo:latest", "-e", "GREETING=hi"],
        ["actions", "get", "conv-echo"],
        ["actions", "list"],
        ["actions", "delete", "no-such-action"],
        ["rules", "create", "conv-rule", "--repository", "127.0.0.1:5000/demo/echo", "--tag", "v*", "-p", "n=1", "-p", "s=1.5x"],
        ["rules", "get", "conv-rule"],
        ["rules", "list"],
        ["rules", "delete", "no-such-rule"],
        ["activations", "list"],
        ["activations", "get", "0123456789abcdef0123456789abcdef"],
        ["invoke", "no-such-action"],
        ["platforms"],
    ];

    public override IReadOnlyList<string[]> LoggingVerbs => DocumentVerbs;

    public override string[] RemoteVerb => ["actions", "list"];

    public override (string Prefix, string Verb) Completion => ("act", "actions");

    protected override IReadOnlyDictionary<string, string> Environment(string stateDirectory) => new Dictionary<string, string>
    {
        ["POLYARCH_STATE_DIR"] = stateDirectory,
        ["POLYARCH_Invoker__InstanceId"] = $"t{TestRun.Id}-clicases",
        [$"POLYARCH_Docker__ExtraLabels__{TestRun.LabelKey}"] = TestRun.Id,
    };
}
