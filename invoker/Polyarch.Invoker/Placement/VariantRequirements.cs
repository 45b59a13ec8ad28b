using System.Globalization;

namespace Polyarch.Invoker.Placement;

/// <summary>Reads io.polyarch.requires.* labels from a variant's image config.</summary>
internal static class VariantRequirements
{
    public const string GpuLabel = "io.polyarch.requires.gpu";
    public const string MemoryLabel = "io.polyarch.requires.memory";
    public const string CpusLabel = "io.polyarch.requires.cpus";

    /// <summary>The variant's needs combined with the action's: the larger of each.</summary>
    public static Requirements Combine(Requirements action, IReadOnlyDictionary<string, string> labels, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var gpus = action.Gpus;
        if (labels.TryGetValue(GpuLabel, out var gpu) && !string.IsNullOrWhiteSpace(gpu))
        {
            // "nvidia" (a vendor) means one GPU; a number means that many.
            gpus = Math.Max(gpus, int.TryParse(gpu, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 1);
        }

        var memory = action.MemoryBytes;
        if (labels.TryGetValue(MemoryLabel, out var mem))
        {
            if (Quantity.TryParseBytes(mem, out var bytes))
            {
                memory = Math.Max(memory, bytes);
            }
            else
            {
                problems.Add($"label {MemoryLabel}='{mem}' is not a size such as 512Mi or 2Gi");
            }
        }

        var cpus = action.Cpus;
        if (labels.TryGetValue(CpusLabel, out var cpu))
        {
            if (double.TryParse(cpu, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var c) && c > 0 && c < 1024)
            {
                cpus = Math.Max(cpus, c);
            }
            else
            {
                problems.Add($"label {CpusLabel}='{cpu}' is not a CPU count such as 2 or 0.5");
            }
        }

        errors = problems;
        return new Requirements(gpus, memory, cpus);
    }
}
