using Polyarch.Invoker.Actions;

namespace Polyarch.Invoker.Placement;

/// <summary>What placement must satisfy: an explicit platform (or none), the action's placement rules and needs.</summary>
internal sealed record PlacementRequest(string? Platform, ActionPlacement Rules, Requirements Requirements)
{
    public static PlacementRequest For(ActionDefinition action, string? platform) =>
        new(platform, action.Placement, new Requirements(action.Gpus, action.MemoryMb * 1024L * 1024L, action.Cpus));
}
