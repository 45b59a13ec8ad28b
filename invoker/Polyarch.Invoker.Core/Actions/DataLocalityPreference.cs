namespace Polyarch.Invoker.Actions;

/// <summary>
/// A soft wish to run near data: prefer nodes labelled <see cref="Label"/>=<see cref="Value"/> (e.g. the zone or a
/// dataset label of the data warehouse) with <see cref="Weight"/> 1–100. On Kubernetes it becomes a weighted preferred
/// node affinity term: the pod still runs elsewhere when no such node has room. The Docker backend (one machine) ignores it.
/// </summary>
public sealed record DataLocalityPreference
{
    /// <summary>Default weight when none is given (the middle of Kubernetes' 1–100).</summary>
    public const int DefaultWeight = 50;

    /// <summary>A node label key, e.g. topology.kubernetes.io/zone or polyarch.io/dataset.</summary>
    public required string Label { get; init; }

    /// <summary>The label's value on the preferred nodes, e.g. zone-a or sales.</summary>
    public required string Value { get; init; }

    /// <summary>How much the wish counts against other preferred terms, 1–100. Default 50.</summary>
    public int Weight { get; init; } = DefaultWeight;

    /// <summary>Parses LABEL=VALUE[:WEIGHT] (the CLI's --prefer-node); a label value never holds ':' so the last one splits off the weight.</summary>
    public static DataLocalityPreference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new FormatException($"--prefer-node {text} is not LABEL=VALUE[:WEIGHT], e.g. topology.kubernetes.io/zone=zone-a:80.");
        }

        var value = text[(equals + 1)..];
        var weight = DefaultWeight;
        var colon = value.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!int.TryParse(value.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out weight))
            {
                throw new FormatException($"--prefer-node {text}: the weight '{value[(colon + 1)..]}' is not a whole number 1-100.");
            }

            value = value[..colon];
        }

        return new DataLocalityPreference { Label = text[..equals], Value = value, Weight = weight };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Label}={Value}:{Weight}";
}
