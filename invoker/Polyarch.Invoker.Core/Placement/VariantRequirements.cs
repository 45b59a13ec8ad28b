using System.Globalization;
using Polyarch.Invoker.Images;

namespace Polyarch.Invoker.Placement;

/// <summary>
/// Reads a variant's io.polyarch.requires.* labels — the one parser both backends use, with Kubernetes quantity
/// semantics — and combines them with the action's needs (the larger of each).
/// </summary>
internal static class VariantRequirements
{
    /// <summary>More devices than any node has; a label asking for more is a typo.</summary>
    public const int MaxDevices = 64;

    public const string DeviceForms = "false or 0 (none), true or a vendor name such as nvidia (one), or a whole number 1-64";
    public const string MemoryForms = "a size such as 512Mi, 2Gi, 1G or 1500000 (bytes)";
    public const string CpuForms = "a CPU count such as 2 or 0.5, or millicores such as 500m (below 1024)";

    /// <summary>
    /// The action's needs combined with the variant's labels; false with one message per bad label, each naming the
    /// label, the value, the image and the accepted forms.
    /// </summary>
    public static bool TryCombine(Requirements action, IReadOnlyDictionary<string, string> labels, string image, out Requirements combined, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(labels);
        var problems = new List<string>();
        var gpus = Math.Max(action.Gpus, Devices(labels, ImageLabels.RequiresGpu, image, problems));
        var tpus = Math.Max(action.Tpus, Devices(labels, ImageLabels.RequiresTpu, image, problems));

        var memory = action.MemoryBytes;
        if (labels.TryGetValue(ImageLabels.RequiresMemory, out var mem))
        {
            if (Quantity.TryParseBytes(mem, out var bytes))
            {
                memory = Math.Max(memory, bytes);
            }
            else
            {
                problems.Add(Bad(ImageLabels.RequiresMemory, mem, image, "is not a size", MemoryForms));
            }
        }

        var cpus = action.Cpus;
        if (labels.TryGetValue(ImageLabels.RequiresCpus, out var cpu))
        {
            if (Quantity.TryParse(cpu, out var cores) && cores < 1024)
            {
                cpus = Math.Max(cpus, (double)cores);
            }
            else
            {
                problems.Add(Bad(ImageLabels.RequiresCpus, cpu, image, "is not a CPU count", CpuForms));
            }
        }

        errors = problems;
        combined = new Requirements(gpus, memory, cpus, tpus);
        return problems.Count == 0;
    }

    /// <summary>How a message names one variant: repository@child-digest (platform).</summary>
    public static string Describe(string repository, string digest, string platform) => $"{repository}@{digest} ({platform})";

    private static int Devices(IReadOnlyDictionary<string, string> labels, string label, string image, List<string> problems)
    {
        if (!labels.TryGetValue(label, out var raw) || string.IsNullOrWhiteSpace(raw))
        {
            return 0;
        }

        var text = raw.Trim();
        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= MaxDevices)
        {
            return count;
        }

        // A vendor ("nvidia", "amd"): one device of that kind.
        if (text.Length <= 32 && char.IsAsciiLetter(text[0]) && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return 1;
        }

        problems.Add(Bad(label, raw, image, "is not a device count", DeviceForms));
        return 0;
    }

    private static string Bad(string label, string value, string image, string what, string forms) =>
        $"image {image}: label {label}='{value}' {what}; use {forms}";
}
