using System.Net.Sockets;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>conventions.md: 0 success · 1 the operation failed · 2 bad usage or invalid input · 3 a dependency is unavailable.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int InvalidInput = 2;
    public const int Unavailable = 3;

    public static int For(ActivationRecord record) => record.Status switch
    {
        ActivationStatus.Success => Success,
        ActivationStatus.SystemError => Unavailable,
        _ => Failed,
    };

    public static int For(Exception exception) => exception switch
    {
        Client.ServiceCallException call => call.ExitCode,
        Rules.InvalidRuleException => InvalidInput,
        InvalidActionException or ActionNotFoundException or Workflows.InvalidWorkflowException or Workflows.WorkflowNotFoundException or Workflows.WorkflowRunNotFoundException or ArgumentException or FormatException or EngineConfigurationException => InvalidInput,
        ImageResolutionException { DependencyUnavailable: true } => Unavailable,
        ImageResolutionException or PlacementException => Failed,
        Kubernetes.ClusterUnavailableException or EngineUnavailableException or ImagePullException or HttpRequestException or SocketException or Docker.DotNet.DockerApiException or TimeoutException => Unavailable,
        _ => Failed,
    };
}
