namespace Polyarch.Invoker.DockerEngine;

/// <summary>The engine could not pull a variant.</summary>
public sealed class ImagePullException(string reference, string platform, string detail, Exception? inner = null)
    : InvokerException($"The Docker engine could not pull {reference} for {platform}: {detail}. Check that the registry is up and the engine trusts it (insecure-registries for plain HTTP hosts other than localhost).", inner)
{
    public string Reference { get; } = reference;

    public string Platform { get; } = platform;
}
