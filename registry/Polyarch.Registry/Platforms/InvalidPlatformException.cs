using Polyarch.Registry.References;

namespace Polyarch.Registry.Platforms;

/// <summary>A platform string that is not os/arch[/variant].</summary>
public sealed class InvalidPlatformException : RegistryException
{
    public InvalidPlatformException(string input, string reason)
        : base($"'{InvalidReferenceException.Printable(input)}' is not a valid platform: {reason}. " +
               "Write it as os/arch[/variant], e.g. linux/amd64, linux/arm64 or linux/arm/v7.")
    {
        Input = input;
    }

    /// <summary>The rejected input.</summary>
    public string Input { get; }
}
