using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>The equality-based label selectors ("a=b,c==d,e!=f,g") and the metadata.name field selector.</summary>
internal static class Selectors
{
    public static bool Labels(string? selector, IDictionary<string, string>? labels)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return true;
        }

        labels ??= new Dictionary<string, string>();
        foreach (var part in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var notEqual = part.Split("!=", 2);
            if (notEqual.Length == 2)
            {
                if (labels.TryGetValue(notEqual[0], out var v) && v == notEqual[1])
                {
                    return false;
                }

                continue;
            }

            var equal = part.Replace("==", "=", StringComparison.Ordinal).Split('=', 2);
            if (equal.Length == 1 ? !labels.ContainsKey(equal[0]) : !(labels.TryGetValue(equal[0], out var value) && value == equal[1]))
            {
                return false;
            }
        }

        return true;
    }

    public static bool Fields(string? selector, V1ObjectMeta metadata)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return true;
        }

        foreach (var part in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Replace("==", "=", StringComparison.Ordinal).Split('=', 2);
            var actual = kv[0] switch
            {
                "metadata.name" => metadata.Name,
                "metadata.namespace" => metadata.NamespaceProperty,
                _ => throw new ArgumentException($"field selector {kv[0]} is not supported by the double"),
            };
            if (kv.Length != 2 || actual != kv[1])
            {
                return false;
            }
        }

        return true;
    }
}
