namespace Polyarch.Invoker.DockerEngine;

/// <summary>The engine could not pull a variant.</summary>
public sealed class ImagePullException(string reference, string platform, string detail, string advice, Exception? inner = null)
    : InvokerException($"The Docker engine could not pull {reference} for {platform}: {detail}. {advice}", inner)
{
    public string Reference { get; } = reference;

    public string Platform { get; } = platform;
}
