namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>The activation statuses (conventions.md): the same strings as the Docker backend's records.</summary>
internal static class RunStatus
{
    public const string Success = "success";
    public const string ApplicationError = "application error";
    public const string DeveloperError = "action developer error";
    public const string SystemError = "system error";
}
