using System.ComponentModel.DataAnnotations;

namespace Polyarch.Invoker.Workflows;

/// <summary>Settings of the workflow engine (section "Workflows").</summary>
internal sealed class WorkflowOptions
{
    public const string SectionName = "Workflows";

    /// <summary>
    /// The registry of the default results repository (<c>REGISTRY/workflows/NAME</c>) of a workflow that names none and
    /// whose run no push triggered (a triggered run's artifacts go next to what triggered it).
    /// </summary>
    /// <value>127.0.0.1:5000 by default.</value>
    [Required]
    public string ResultsRegistry { get; set; } = "127.0.0.1:5000";

    /// <summary>How often a cancel asked by another process (the CLI, another replica) is looked for, and unowned runs are taken up.</summary>
    /// <value>1 second by default.</value>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
