using System.Globalization;
using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>Kubernetes quantity text for bytes and millicores, and parsing of label values such as "2Gi" or "0.5".</summary>
internal static class Quantities
{
    public static string Bytes(long bytes) =>
        bytes % (1L << 30) == 0 ? $"{bytes >> 30}Gi" : bytes % (1L << 20) == 0 ? $"{bytes >> 20}Mi" : bytes.ToString(CultureInfo.InvariantCulture);

    public static string MilliCpu(long milli) =>
        milli % 1000 == 0 ? (milli / 1000).ToString(CultureInfo.InvariantCulture) : $"{milli.ToString(CultureInfo.InvariantCulture)}m";

    /// <summary>Parses a quantity ("512Mi", "2", "500m"); false for anything that is not a positive Kubernetes quantity.</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32)
        {
            return false;
        }

        try
        {
            value = new ResourceQuantity(text.Trim()).ToDecimal();
            return value > 0;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
    }
}
