using System.Security.Cryptography;

namespace Polyarch.Invoker.Activations;

/// <summary>Activation ids: 32 lower-case hex characters, like OpenWhisk's.</summary>
internal static class ActivationId
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsValid(string? id) =>
        id is { Length: 32 } && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
