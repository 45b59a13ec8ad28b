using System.Globalization;

namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>One line of a container's log with the time the runtime stamped it.</summary>
internal sealed record LogLine(DateTimeOffset Time, string Text)
{
    /// <summary>The kubelet's timestamps=true prefix: Go's RFC3339Nano in UTC, trailing zeros of the fraction cut ("2026-11-26T19:30:01.1234567Z").</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.') + "Z";
}
