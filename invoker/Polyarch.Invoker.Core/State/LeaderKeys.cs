namespace Polyarch.Invoker.State;

/// <summary>Advisory-lock keys the invoker's replicas agree on (any constants, distinct from the builder's).</summary>
internal static class LeaderKeys
{
    /// <summary>One replica migrates the schema at a time ("PolyInvM").</summary>
    public const long Migration = 0x506F6C79496E764D;

    /// <summary>One replica reconciles the registry's tags at a time ("PolyRecn").</summary>
    public const long Reconciler = 0x506F6C795265636E;

    /// <summary>One replica fires scheduled rules at a time ("PolySchd").</summary>
    public const long Scheduler = 0x506F6C7953636864;

    /// <summary>One replica prunes activation records at a time ("PolyPrun").</summary>
    public const long Retention = 0x506F6C795072756E;
}
