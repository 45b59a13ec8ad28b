using System.ComponentModel.DataAnnotations;

namespace Polyarch.Invoker.Triggers;

/// <summary>Settings of the registry webhook, the push processor and reconciliation (section "Triggers").</summary>
public sealed class TriggerOptions
{
    public const string SectionName = "Triggers";

    /// <summary>The registry's bearer token; null reads (or creates, 0600) <see cref="WebhookTokenFile"/>. Default null.</summary>
    public string? WebhookToken { get; set; }

    /// <summary>Where the token lives. Default: &lt;state directory&gt;/secrets/registry-webhook.token (what scripts/host.sh writes).</summary>
    public string? WebhookTokenFile { get; set; }

    /// <summary>The registry a rule's repository means when the pattern names none (for reconciliation). Default 127.0.0.1:5000.</summary>
    [Required]
    public string DefaultRegistry { get; set; } = "127.0.0.1:5000";

    /// <summary>How often the tags of watched repositories are compared with what was seen. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often stored pushes are looked at without a wake-up (a safety net). Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a pushed image manifest (not an index) waits before it is processed. The engine tags each child of a
    /// multi-platform push with the index's tag moments before it pushes the index, and the registry posts every event
    /// on its own, so a child is only a push that matters when no index replaced it within this time. Default 2 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ManifestSettleDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a push whose tag the registry does not know yet (HEAD answers 404) is looked at again before it fires
    /// for the digest its event names. distribution 2.8 posts the manifest's push event before it links the tag, so a
    /// fast invoker can ask between the two. Default 2 s (re-asked after 50 ms, doubling, at most 1 s apart).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MissingTagWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts at a push whose image cannot be resolved before it is given up. Default 20.</summary>
    [Range(1, 10_000)]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>
    /// How often the scheduler looks at scheduled rules at the latest (it also wakes at the next occurrence it knows);
    /// a rule created or changed since is picked up within this time. Default 15 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ScheduleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>False: accept and store pushes but do not process them, nor fire schedules (a standby invoker). Default true.</summary>
    public bool ProcessPushes { get; set; } = true;

    /// <summary>
    /// Tags (globs, as in rules) that never trigger, whatever a rule says: what polyarch-builder writes for itself — the
    /// staging tag every build pushes before it verifies the index and moves the real tags (<c>polyarch-build-*</c>), and
    /// the registry build cache (<c>buildcache</c>). Without this a rule for <c>*</c> would fire on an unverified
    /// staging push, attributed to a tag nobody asked for. Default those two; configured entries add to them.
    /// </summary>
    public List<string> IgnoredTags { get; set; } = ["polyarch-build-*", "buildcache"];

    /// <summary>Largest webhook body accepted, in bytes. Default 1 MiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxEnvelopeBytes { get; set; } = 1024 * 1024;

    /// <summary>Whether a pushed tag is one of <see cref="IgnoredTags"/>.</summary>
    public bool IsIgnored(string tag) => IgnoredTags.Exists(pattern => Rules.Glob.IsMatch(pattern, tag));
}
