using System.ComponentModel.DataAnnotations;

namespace Polyarch.Invoker;

/// <summary>Settings of the invoker core (section "Invoker").</summary>
public sealed class InvokerOptions
{
    public const string SectionName = "Invoker";

    /// <summary>This invoker's id, written to every container's io.polyarch.instance label. Default "invoker0".</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")]
    public string InstanceId { get; set; } = "invoker0";

    /// <summary>State directory (invoker.db). Default: $POLYARCH_STATE_DIR, $XDG_STATE_HOME/polyarch, ~/.local/state/polyarch.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>How long a tag's resolution is reused; digests are cached for good. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TagCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest result kept, in bytes (OpenWhisk: about 1 MiB). Default 1 MiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxResultBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Largest total of files an action may send or return in one activation (decoded bytes, <c>"polyarch:files"</c>),
    /// passed to runtimes as <c>POLYARCH_FILES_MAX_BYTES</c>. Default 64 MiB.
    /// </summary>
    [Range(0, 512 * 1024 * 1024)]
    public int MaxFilesBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How much of a /run answer is read: the result's cap plus the files' cap in base64 (the files leave the result before it is kept).</summary>
    public int MaxAnswerBytes => (int)Math.Min(int.MaxValue, MaxResultBytes + ((long)MaxFilesBytes * 4 / 3) + 64 * 1024);

    /// <summary>Largest log kept per activation, in bytes (OpenWhisk: about 10 MB). Default 10 MiB.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxLogBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest code of a code action, in bytes (OpenWhisk: 48 MiB). Default 48 MiB.</summary>
    [Range(typeof(long), "1024", "1073741824")]
    public long MaxCodeBytes { get; set; } = Actions.ActionCode.DefaultMaxBytes;
}
