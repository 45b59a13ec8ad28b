namespace Polyarch.Registry;

/// <summary>The base of every error the registry library raises.</summary>
public abstract class RegistryException : Exception
{
    protected RegistryException(string message)
        : base(message)
    {
    }

    protected RegistryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
