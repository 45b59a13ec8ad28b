namespace Polyarch.Invoker.Placement;

/// <summary>What one activation needs from the machine.</summary>
public sealed record Requirements(int Gpus, long MemoryBytes, double Cpus);
