namespace Polyarch.Registry.Notifications;

/// <summary>A notification body that is not a distribution event envelope.</summary>
public sealed class InvalidNotificationException : RegistryException
{
    public InvalidNotificationException(string reason, Exception? innerException = null)
        : base($"The registry notification cannot be read: {reason}. " +
               $"Expected an envelope {{\"events\":[…]}} of media type {RegistryNotificationParser.V1MediaType} or {RegistryNotificationParser.V2MediaType}.",
               innerException)
    {
    }
}
