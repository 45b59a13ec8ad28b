namespace Polyarch.Registry.Client;

/// <summary>A user name and password (or token) for one registry. Never logged.</summary>
public sealed class RegistryCredential
{
    /// <summary>The user name.</summary>
    public string Username { get; set; } = string.Empty;

    /// <summary>The password or access token.</summary>
    public string Password { get; set; } = string.Empty;

    /// <inheritdoc />
    public override string ToString() => $"{Username}:***";
}
