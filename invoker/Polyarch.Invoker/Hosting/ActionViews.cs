using Polyarch.Invoker.Actions;

namespace Polyarch.Invoker.Hosting;

/// <summary>How actions are shown (CLI and REST): the code's kind, size, sha256 and main, its content only when asked.</summary>
internal static class ActionViews
{
    public static ActionDefinition Of(ActionDefinition action, bool showCode) =>
        showCode || action.Code is null ? action : action with { Code = action.Code.WithoutContent() };

    public static string Describe(ActionCode code) =>
        $"{code.Kind.ToString().ToLowerInvariant()} code ({code.Size} bytes, {code.Sha256}, main {code.Main})";
}
