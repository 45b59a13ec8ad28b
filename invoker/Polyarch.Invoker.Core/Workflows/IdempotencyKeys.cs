namespace Polyarch.Invoker.Workflows;

/// <summary>
/// What a caller-chosen idempotency key may be (the <c>Idempotency-Key</c> header, <c>workflows run --idempotency-key</c>):
/// 1–512 printable ASCII characters — long enough for a rule's own keys (<c>rule:NAME:REGISTRY/REPOSITORY@DIGEST</c>).
/// </summary>
public static class IdempotencyKeys
{
    /// <summary>The longest key accepted.</summary>
    public const int MaxLength = 512;

    /// <summary>Null when <paramref name="key"/> is acceptable; else what is wrong with it, naming <paramref name="source"/> and the fix.</summary>
    public static string? Problem(string key, string source)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is 0 or > MaxLength)
        {
            return $"{source} must be 1–{MaxLength} characters (it has {key.Length}); pass a shorter key, e.g. a UUID or your job's id.";
        }

        return key.All(c => c is >= ' ' and <= '~')
            ? null
            : $"{source} may hold printable ASCII characters only; pass a key such as a UUID or your job's id.";
    }
}
