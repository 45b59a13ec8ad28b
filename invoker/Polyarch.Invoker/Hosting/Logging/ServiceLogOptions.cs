using System.ComponentModel.DataAnnotations;
using Serilog.Events;

namespace Polyarch.Invoker.Hosting.Logging;

/// <summary>The service's log file (`serve`): where it goes and how it rotates. Section "ServiceLog".</summary>
public sealed class ServiceLogOptions
{
    public const string SectionName = "ServiceLog";

    /// <summary>The log file.</summary>
    /// <value>Default empty: the console only. scripts/services.sh sets $POLYARCH_STATE_DIR/logs/invoker.log.</value>
    public string? Path { get; set; }

    /// <summary>The size at which the file is closed and a new one (invoker_001.log, …) started.</summary>
    /// <value>Default 10 MiB.</value>
    [Range(1024, long.MaxValue)]
    public long FileSizeLimitBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>How many files are kept, the current one included; older ones are deleted.</summary>
    /// <value>Default 5, so the log takes at most about 50 MiB.</value>
    [Range(1, 1000)]
    public int RetainedFileCountLimit { get; set; } = 5;

    /// <summary>The lowest level written to the console (stderr) when a file is configured.</summary>
    /// <value>Default Warning: the file has the whole log, the console what needs attention.</value>
    public LogEventLevel ConsoleLevel { get; set; } = LogEventLevel.Warning;

    /// <summary>Text for people or Serilog compact JSON for machines, on the console and in the file (<c>--log-format</c>).</summary>
    /// <value>Default <see cref="LogFormat.Text"/>.</value>
    public LogFormat Format { get; set; } = LogFormat.Text;
}
