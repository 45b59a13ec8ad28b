namespace Polyarch.Registry.References;

/// <summary>An image reference, digest or tag that does not follow the distribution reference grammar.</summary>
public sealed class InvalidReferenceException : RegistryException
{
    public InvalidReferenceException(string input, string reason)
        : this(input, reason, "image reference", "[registry[:port]/]repository[:tag][@sha256:<64 hex>], e.g. 127.0.0.1:5000/demo/echo:latest")
    {
    }

    internal InvalidReferenceException(string input, string reason, string what, string form)
        : base($"'{Printable(input)}' is not a valid {what}: {reason}. Write it as {form}.")
    {
        Input = input;
        Reason = reason;
    }

    /// <summary>The rejected input.</summary>
    public string Input { get; }

    /// <summary>Why it was rejected.</summary>
    public string Reason { get; }

    // Control characters (newlines in hostile input) must not break the log line the message ends up in.
    internal static string Printable(string input)
    {
        var shortened = input.Length > 300 ? string.Concat(input.AsSpan(0, 300), "…") : input;
        return string.Create(shortened.Length, shortened, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
