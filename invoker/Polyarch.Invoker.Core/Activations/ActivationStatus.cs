namespace Polyarch.Invoker.Activations;

/// <summary>OpenWhisk's activation statuses, with "system error" for failures of the platform itself.</summary>
public static class ActivationStatus
{
    public const string Success = "success";
    public const string ApplicationError = "application error";
    public const string DeveloperError = "action developer error";
    public const string SystemError = "system error";
}
