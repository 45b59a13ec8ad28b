using System.Text.RegularExpressions;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Actions;

/// <summary>Checks an action definition and reports every problem at once.</summary>
internal static partial class ActionValidator
{
    public const int MinMemoryMb = 16;
    public const int MaxMemoryMb = 65_536;
    public const int MinTimeoutMs = 100;
    public const int MaxTimeoutMs = 300_000;
    public const int MaxDataLocality = 16;

    public static IReadOnlyList<string> Validate(ActionDefinition action) => Validate(action, ActionCode.DefaultMaxBytes);

    /// <summary>Checks the action; its code (if any) must be at most <paramref name="maxCodeBytes"/> (Invoker:MaxCodeBytes).</summary>
    public static IReadOnlyList<string> Validate(ActionDefinition action, long maxCodeBytes)
    {
        var errors = new List<string>();
        if (!NamePattern().IsMatch(action.Name ?? ""))
        {
            errors.Add($"Action name '{action.Name}' is invalid: use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        // The registry library's parser (distribution's grammar): what it rejects can never be pulled, so it is never stored.
        if (!ImageReference.TryParse(action.Image, out _, out var imageError))
        {
            errors.Add(new InvalidReferenceException(action.Image ?? "", imageError).Message);
        }

        if (action.MemoryMb is < MinMemoryMb or > MaxMemoryMb)
        {
            errors.Add($"Memory {action.MemoryMb} MiB is out of range: use {MinMemoryMb}-{MaxMemoryMb} MiB.");
        }

        if (action.TimeoutMs is < MinTimeoutMs or > MaxTimeoutMs)
        {
            errors.Add($"Timeout {action.TimeoutMs} ms is out of range: use {MinTimeoutMs}-{MaxTimeoutMs} ms.");
        }

        if (double.IsNaN(action.Cpus) || action.Cpus is < 0.01 or > 256)
        {
            errors.Add($"CPUs {action.Cpus} is out of range: use 0.01-256.");
        }

        if (action.Gpus is < 0 or > 64)
        {
            errors.Add($"GPUs {action.Gpus} is out of range: use 0-64.");
        }

        if (action.Tpus is < 0 or > 64)
        {
            errors.Add($"TPUs {action.Tpus} is out of range: use 0-64.");
        }

        if (action.GpuProduct is { } product)
        {
            if (product.Length is 0 or > 63 || !LabelNamePattern().IsMatch(product))
            {
                errors.Add($"GPU product '{product}' is not a Kubernetes label value (nvidia.com/gpu.product): use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, e.g. Tesla-T4 or NVIDIA-A100-SXM4-40GB.");
            }

            if (action.Gpus < 1)
            {
                errors.Add($"GPU product '{product}' needs GPUs: add --gpus 1 (or more), or leave the product out.");
            }
        }

        if (action.Prewarm is < 0 or > 16)
        {
            errors.Add($"Prewarm {action.Prewarm} is out of range: use 0-16.");
        }

        foreach (var platform in action.Placement.Preferred.Concat(action.Placement.Required))
        {
            if (!Platforms.PlatformName.TryNormalize(platform, out _, out var platformError))
            {
                errors.Add(platformError);
            }
        }

        ValidateDataLocality(action.Placement.DataLocality, errors);

        foreach (var key in action.Environment.Keys)
        {
            if (!EnvPattern().IsMatch(key) || key.StartsWith("__OW_", StringComparison.Ordinal))
            {
                errors.Add($"Environment variable name '{key}' is invalid or reserved: use letters, digits and '_' and do not start with __OW_.");
            }
        }

        if (action.Code is { } code)
        {
            ValidateCode(action, code, maxCodeBytes, errors);
        }

        return errors;
    }

    /// <summary>
    /// What an otherwise valid action asks for that the backend <paramref name="backend"/> does not do — said at
    /// creation (a warning, not an error: the same action may run on another invoker), never ignored silently.
    /// </summary>
    public static IReadOnlyList<string> Notes(ActionDefinition action, string backend)
    {
        ArgumentNullException.ThrowIfNull(action);
        var notes = new List<string>();
        if (!string.Equals(backend, "docker", StringComparison.OrdinalIgnoreCase))
        {
            return notes;
        }

        if (action.Placement.DataLocality.Count > 0)
        {
            notes.Add($"Action {action.Name}: data locality (--prefer-node {string.Join(", ", action.Placement.DataLocality.Select(d => $"{d.Label}={d.Value}"))}) applies to Kubernetes only; the docker backend runs on one machine and ignores it.");
        }

        if (action.GpuProduct is not null)
        {
            notes.Add($"Action {action.Name}: the GPU product {action.GpuProduct} applies to Kubernetes only (a node selector on nvidia.com/gpu.product); the docker backend asks the engine for {action.Gpus} GPU(s) of any model.");
        }

        if (action.Tpus > 0)
        {
            notes.Add($"Action {action.Name}: TPUs run on Kubernetes only (google.com/tpu); the docker backend has none and will refuse every invocation of this action. Run it with Invoker:Backend=kubernetes.");
        }

        return notes;
    }

    /// <summary>The refusal for code over the cap: the size, the cap and the option that raises it.</summary>
    public static string CodeTooLarge(string action, long size, long maxCodeBytes) =>
        $"The code of action '{action}' is {size} bytes{Mebibytes(size)}; the cap is {maxCodeBytes} bytes{Mebibytes(maxCodeBytes)} (Invoker:MaxCodeBytes). " +
        "Make the code smaller (leave data sets and models out of it, read them at run time) or raise Invoker:MaxCodeBytes (POLYARCH_Invoker__MaxCodeBytes).";

    private static void ValidateCode(ActionDefinition action, ActionCode code, long maxCodeBytes, List<string> errors)
    {
        if (code.Size > maxCodeBytes)
        {
            errors.Add(CodeTooLarge(action.Name, code.Size, maxCodeBytes));
        }

        if (code.Content is null)
        {
            errors.Add($"The code of action '{action.Name}' has no content: send it as text, or base64 with \"binary\": true.");
        }

        if (!MainPattern().IsMatch(code.Main ?? ""))
        {
            errors.Add($"Main '{code.Main}' is invalid: name the function the runtime calls (letters, digits, '_' and '.', e.g. main).");
        }

        if (action.Protocol == ActionProtocol.Exec)
        {
            errors.Add($"Action '{action.Name}' has code and the exec protocol: code is sent at /init to an action-proxy runtime, so use --protocol http (or leave it to the image's label).");
        }
    }

    private static string Mebibytes(long bytes) =>
        bytes < 1048576 ? "" : $" ({(bytes / 1048576.0).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} MiB)";

    /// <summary>Kubernetes' label syntax: key = [DNS subdomain prefix "/"] name (63), value = name or empty; weight 1–100.</summary>
    private static void ValidateDataLocality(IReadOnlyList<DataLocalityPreference>? wishes, List<string> errors)
    {
        var seen = new HashSet<(string, string)>();
        foreach (var wish in wishes ?? [])
        {
            var shown = $"{wish.Label}={wish.Value}";
            var slash = (wish.Label ?? "").LastIndexOf('/');
            var prefix = slash < 0 ? null : wish.Label![..slash];
            var name = slash < 0 ? wish.Label ?? "" : wish.Label![(slash + 1)..];
            if (!LabelNamePattern().IsMatch(name) || name.Length > 63 || (prefix is not null && (prefix.Length > 253 || !DnsSubdomainPattern().IsMatch(prefix))))
            {
                errors.Add($"Data locality '{shown}': the label key '{wish.Label}' is not a Kubernetes label key: use [prefix/]name, the name 1-63 letters, digits, '-', '_' or '.' starting and ending with a letter or digit, the prefix a DNS subdomain (e.g. topology.kubernetes.io/zone).");
            }

            if (wish.Value is null || wish.Value.Length > 63 || (wish.Value.Length > 0 && !LabelNamePattern().IsMatch(wish.Value)))
            {
                errors.Add($"Data locality '{shown}': the value '{wish.Value}' is not a Kubernetes label value: use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.");
            }

            if (wish.Weight is < 1 or > 100)
            {
                errors.Add($"Data locality '{shown}': weight {wish.Weight} is out of range: use 1-100 (Kubernetes' preferred node affinity weights).");
            }

            if (!seen.Add((wish.Label ?? "", wish.Value ?? "")))
            {
                errors.Add($"Data locality '{shown}' is given twice: give each label and value once, with one weight.");
            }
        }

        if (seen.Count > MaxDataLocality)
        {
            errors.Add($"Data locality has {seen.Count} wishes: use at most {MaxDataLocality}.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$")]
    private static partial Regex LabelNamePattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomainPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.$]{0,255}$")]
    private static partial Regex MainPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,255}$")]
    private static partial Regex EnvPattern();
}
