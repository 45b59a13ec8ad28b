using System.ComponentModel.DataAnnotations;

namespace Polyarch.Builder.Hosting;

/// <summary>Settings of polyarch-builder (section <c>Builder</c>, env <c>POLYARCH_Builder__…</c>).</summary>
public sealed class BuilderOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Builder";

    /// <summary>The default of <see cref="DockerPath"/>.</summary>
    public const string DefaultDockerPath = "/usr/bin/docker";

    /// <summary>Where mirrors, checkouts, the build database and secrets live.</summary>
    /// <value>Defaults to <c>$POLYARCH_STATE_DIR</c>, else <c>$XDG_STATE_HOME/polyarch</c>, else <c>~/.local/state/polyarch</c>.</value>
    [Required]
    public string StateDirectory { get; set; } = StatePaths.DefaultStateDirectory();

    /// <summary>
    /// A cache shared by every state directory of this user: what buildx's builder can build, keyed by that builder's identity
    /// (<see cref="Buildx.BuilderIdentity"/>), so a service started on a fresh state does not ask it again.
    /// </summary>
    /// <value>Defaults to <c>$XDG_CACHE_HOME/polyarch</c>, else <c>~/.cache/polyarch</c>.</value>
    [Required]
    public string CacheDirectory { get; set; } = StatePaths.DefaultCacheDirectory();

    /// <summary>The docker client that runs buildx.</summary>
    /// <value>Defaults to <c>/usr/bin/docker</c> (the engine's own client, not the one first on PATH).</value>
    [Required]
    public string DockerPath { get; set; } = DefaultDockerPath;

    /// <summary>
    /// How buildx commands run: <c>auto</c> runs the buildx plugin binary directly (found where the docker CLI finds it)
    /// when <see cref="DockerPath"/> is the default, saving the docker CLI's start and its plugin metadata call (≈ 50–100 ms
    /// per call); <c>docker</c> (or empty) always goes through <see cref="DockerPath"/>; any other value is the plugin to run.
    /// </summary>
    /// <value>Defaults to <c>auto</c>.</value>
    public string? BuildxPath { get; set; } = "auto";

    /// <summary>The buildx builder instance (<c>--builder</c>); native nodes or the kubernetes driver scale builds out.</summary>
    /// <value>Defaults to <c>null</c>: buildx's current builder.</value>
    public string? BuilderName { get; set; }

    /// <summary>The registry images are pushed to (host:port).</summary>
    /// <value>Defaults to <c>127.0.0.1:5000</c>.</value>
    [Required]
    public string Registry { get; set; } = "127.0.0.1:5000";

    /// <summary>Registries spoken to over plain HTTP besides loopback ones.</summary>
    public List<string> InsecureRegistries { get; set; } = [];

    /// <summary>Platforms built when a request names none.</summary>
    /// <value>Defaults to linux/amd64, linux/arm64 and linux/ppc64le.</value>
    public List<string> Platforms { get; set; } = [];

    /// <summary>How many builds run at once.</summary>
    /// <value>Defaults to 1.</value>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 1;

    /// <summary>How long one build may run before buildx is interrupted.</summary>
    /// <value>Defaults to 30 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BuildTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long buildx gets after an interrupt before it is killed.</summary>
    /// <value>Defaults to 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CancelGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a push that failed with a transient registry error is tried again.</summary>
    /// <value>Defaults to 3.</value>
    [Range(0, 10)]
    public int PushRetries { get; set; } = 3;

    /// <summary>The first back-off delay of push retries (doubled each time).</summary>
    /// <value>Defaults to 2 seconds.</value>
    public TimeSpan PushRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Git credentials for HTTPS remotes: user name sent with <see cref="GitToken"/>.</summary>
    /// <value>Defaults to <c>x-access-token</c>.</value>
    public string GitUsername { get; set; } = "x-access-token";

    /// <summary>Git token for HTTPS remotes (never logged).</summary>
    public string? GitToken { get; set; }

    /// <summary>
    /// The ssh command git runs for ssh remotes (<c>ssh://…</c>, <c>git@host:path</c>), passed as <c>GIT_SSH_COMMAND</c>, e.g.
    /// <c>ssh -i /run/secrets/deploy_key -o IdentitiesOnly=yes -o BatchMode=yes</c>. ssh remotes are fetched by the git CLI
    /// (the libgit2 bundled with LibGit2Sharp has no SSH transport).
    /// </summary>
    /// <value>Defaults to <c>null</c>: <c>$GIT_SSH_COMMAND</c> when set, else <c>ssh -o BatchMode=yes</c> (never a password prompt).</value>
    public string? GitSshCommand { get; set; }

    /// <summary>Repositories webhooks may build: URL pattern → registry repository.</summary>
    public List<AllowlistEntry> Allowlist { get; set; } = [];

    /// <summary>Webhook secrets and limits.</summary>
    public WebhookOptions Webhooks { get; set; } = new();

    /// <summary>Whether this process runs queued builds (off for an API-only instance or tests).</summary>
    /// <value>Defaults to <c>true</c>.</value>
    public bool ProcessQueue { get; set; } = true;

    /// <summary>
    /// How long <c>serve</c> waits at start-up, before it announces itself in serve.json, for its first-use work (the buildx
    /// platform list, the store, git, JSON, the registry client: <see cref="ServiceWarmUp"/>); the rest goes on beside it.
    /// </summary>
    /// <value>Defaults to 10 seconds (the platform list alone takes up to 3 s on a loaded machine); <c>00:00:00</c> turns the warm-up off.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan WarmUpTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The platforms used when a request names none.</summary>
    public IReadOnlyList<string> EffectivePlatforms =>
        Platforms.Count > 0 ? Platforms : ["linux/amd64", "linux/arm64", "linux/ppc64le"];
}
