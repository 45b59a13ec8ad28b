namespace Polyarch.Invoker.Activations;

/// <summary>A file an action returned (<c>"polyarch:files"</c> in its result): kept in memory for the workflow step's artifact, never stored in the record.</summary>
/// <param name="Name">The file name (no path).</param>
/// <param name="Content">The decoded bytes.</param>
public sealed record ActivationFile(string Name, ReadOnlyMemory<byte> Content);
