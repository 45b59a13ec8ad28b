using System.Globalization;

namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>The action's needs combined with a variant's io.polyarch.requires.* labels: the larger of each.</summary>
internal static class VariantNeeds
{
    public const string GpuLabel = "io.polyarch.requires.gpu";
    public const string TpuLabel = "io.polyarch.requires.tpu";
    public const string MemoryLabel = "io.polyarch.requires.memory";
    public const string CpusLabel = "io.polyarch.requires.cpus";

    public static PodNeeds Combine(PodRequest request, PodVariant variant, List<string> problems)
    {
        var gpus = Math.Max(request.Gpus, Count(variant, GpuLabel, problems));
        var tpus = Math.Max(request.Tpus, Count(variant, TpuLabel, problems));
        var memory = request.MemoryBytes;
        if (variant.Labels.TryGetValue(MemoryLabel, out var mem))
        {
            if (Quantities.TryParse(mem, out var bytes) && bytes < long.MaxValue / 2)
            {
                memory = Math.Max(memory, (long)Math.Ceiling(bytes));
            }
            else
            {
                problems.Add($"{variant.Platform}: label {MemoryLabel}='{mem}' is not a size such as 512Mi or 2Gi");
            }
        }

        var milli = (long)Math.Ceiling(request.Cpus * 1000);
        if (variant.Labels.TryGetValue(CpusLabel, out var cpu))
        {
            if (Quantities.TryParse(cpu, out var cores) && cores < 1024)
            {
                milli = Math.Max(milli, (long)Math.Ceiling(cores * 1000));
            }
            else
            {
                problems.Add($"{variant.Platform}: label {CpusLabel}='{cpu}' is not a CPU count such as 2 or 0.5");
            }
        }

        return new PodNeeds(memory, milli, gpus, tpus);
    }

    // "nvidia" (a vendor) or "true" means one device; a number means that many; "false"/"0"/"" none.
    private static int Count(PodVariant variant, string label, List<string> problems)
    {
        if (!variant.Labels.TryGetValue(label, out var text) || string.IsNullOrWhiteSpace(text)
            || text is "false" or "0")
        {
            return 0;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            if (count <= 64)
            {
                return count;
            }

            problems.Add($"{variant.Platform}: label {label}='{text}' asks for more than 64 devices");
            return 0;
        }

        return 1;
    }
}
