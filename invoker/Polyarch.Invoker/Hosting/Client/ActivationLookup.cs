using System.Text.Json.Nodes;
using Polyarch.Invoker.Activations;

namespace Polyarch.Invoker.Hosting.Client;

/// <summary>
/// What <c>activations get</c> finds: the record, or (<see cref="Waiting"/>) an accepted activation without one yet —
/// <c>{activationId, action, status: pending | running, accepted}</c>, as GET /v1/activations/{id} answers with 202.
/// </summary>
internal sealed record ActivationLookup(ActivationRecord? Record, JsonObject? Waiting);
