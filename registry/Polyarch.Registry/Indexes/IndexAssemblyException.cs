namespace Polyarch.Registry.Indexes;

/// <summary>The sources cannot be assembled into one index (duplicate platforms, no runnable image, another registry …).</summary>
public sealed class IndexAssemblyException : RegistryException
{
    public IndexAssemblyException(string message)
        : base(message)
    {
    }
}
