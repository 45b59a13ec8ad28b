using System.Globalization;
using Docker.DotNet.Models;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>
/// The container every activation runs in: repository@childDigest for the placed platform, memory = memory+swap,
/// a CPU quota, pids and nofile limits, NET_RAW/NET_ADMIN dropped, never privileged, Polyarch's labels, and
/// the HTTP port published on the loopback address only.
/// </summary>
internal static class ContainerSpecFactory
{
    private const long CpuPeriod = 100_000;

    public static CreateContainerParameters Create(ActivationContext context, DockerBackendOptions options, string instanceId, IReadOnlyList<string>? command)
    {
        var needs = context.Decision.Requirements;
        var labels = new Dictionary<string, string>(options.ExtraLabels, StringComparer.Ordinal)
        {
            [ImageLabels.Managed] = "true",
            [ImageLabels.Instance] = instanceId,
            [ImageLabels.Action] = context.Action.Name,
            [ImageLabels.Activation] = context.ActivationId,
        };

        var env = context.Action.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList();
        env.Add($"__OW_ACTION_NAME={context.Action.Name}");
        var host = new HostConfig
        {
            Memory = needs.MemoryBytes,
            MemorySwap = needs.MemoryBytes,
            CPUPeriod = CpuPeriod,
            CPUQuota = Math.Max(1000, (long)Math.Round(needs.Cpus * CpuPeriod)),
            PidsLimit = options.PidsLimit,
            Ulimits = [new Ulimit { Name = "nofile", Soft = options.NofileLimit, Hard = options.NofileLimit }],
            CapDrop = ["NET_RAW", "NET_ADMIN"],
            Privileged = false,
            SecurityOpt = ["no-new-privileges"],
            LogConfig = new LogConfig
            {
                Type = "json-file",
                Config = new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "1" },
            },
        };

        if (needs.Gpus > 0)
        {
            host.DeviceRequests = [new DeviceRequest { Driver = "nvidia", Count = needs.Gpus, Capabilities = [["gpu"]] }];
        }

        var parameters = new CreateContainerParameters
        {
            Name = ContainerName(instanceId, context.ActivationId),
            Image = $"{context.Image.RepositoryName}@{context.Decision.Variant.Digest}",
            Platform = context.Decision.Variant.Platform,
            Labels = labels,
            Env = env,
            HostConfig = host,
            AttachStdout = true,
            AttachStderr = true,
        };

        if (context.Protocol == ActionProtocol.Http)
        {
            var port = $"{context.Port.ToString(CultureInfo.InvariantCulture)}/tcp";
            parameters.ExposedPorts = new Dictionary<string, EmptyStruct> { [port] = default };
            host.PortBindings = new Dictionary<string, IList<PortBinding>>
            {
                [port] = [new PortBinding { HostIP = options.HostAddress, HostPort = "" }],
            };
        }
        else
        {
            parameters.Cmd = command?.ToList() ?? [];
            parameters.AttachStdin = true;
            parameters.OpenStdin = true;
            parameters.StdinOnce = true;
        }

        return parameters;
    }

    // Unique per container (prewarm starts several for one context): the activation's first 12 characters plus a random suffix.
    public static string ContainerName(string instanceId, string activationId) =>
        $"polyarch-{instanceId}-{activationId[..Math.Min(12, activationId.Length)]}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";
}
