using System.ComponentModel.DataAnnotations;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>Settings of the Docker engine backend (section "Docker").</summary>
public sealed class DockerBackendOptions
{
    public const string SectionName = "Docker";

    /// <summary>
    /// The engine's API endpoint (unix://, tcp://). Default: as the docker CLI finds it — $DOCKER_HOST, else the docker
    /// context ($DOCKER_CONTEXT, else currentContext in $DOCKER_CONFIG/config.json), else unix:///var/run/docker.sock.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>A docker context to use (as `docker --context NAME`); overrides $DOCKER_HOST and $DOCKER_CONTEXT.</summary>
    public string? Context { get; set; }

    /// <summary>Address HTTP action ports are published on. Default 127.0.0.1 (never 0.0.0.0).</summary>
    [Required]
    public string HostAddress { get; set; } = "127.0.0.1";

    /// <summary>Processes per container (stops fork bombs). Default 256.</summary>
    [Range(8, 65_536)]
    public int PidsLimit { get; set; } = 256;

    /// <summary>Open files per container (nofile soft and hard). Default 1024.</summary>
    [Range(64, 1_048_576)]
    public int NofileLimit { get; set; } = 1024;

    /// <summary>How long a new HTTP container may take to answer /init. Default 60 s (emulated start-up is slow).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan InitTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often `serve` looks for its containers that exited behind its back (engine restart, docker kill/stop, a
    /// removal that failed while the engine was away) and removes them; one found exited twice in a row goes. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ExitedSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Binfmt directory read for QEMU handlers. Default /proc/sys/fs/binfmt_misc.</summary>
    /// <summary>
    /// How long an activation's logs wait, after /run answered, for the runtime's end-of-activation sentinel on stdout
    /// and stderr (OpenWhisk runtimes print it; a container that never printed one is not waited for again). A runtime
    /// that prints it ends the wait as soon as it comes, so the bound only matters when the engine's log stream lags its
    /// answer: on a loaded engine that is seconds (OpenWhisk's 2 s lost a traceback there). Default 10 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan LogSentinelWait { get; set; } = TimeSpan.FromSeconds(10);

    public string BinfmtDirectory { get; set; } = "/proc/sys/fs/binfmt_misc";

    /// <summary>Extra labels on every container (tests add io.polyarch.test.run).</summary>
    public Dictionary<string, string> ExtraLabels { get; set; } = [];
}
