using Polyarch.Invoker.Actions;

namespace Polyarch.Invoker.Hosting.Client;

/// <summary>An action as stored (shown without its code's content) and what its backend does not do.</summary>
internal sealed record StoredAction(ActionDefinition Action, IReadOnlyList<string> Warnings);
