using Polyarch.Registry.Notifications;

namespace Polyarch.Invoker.Triggers;

/// <summary>A push as stored: its row id, where it came from (webhook or reconcile) and how often it was tried, when it arrived (Unix ms).</summary>
internal sealed record StoredPush(long Id, ImagePush Push, string Source, int Attempts, long Received);
