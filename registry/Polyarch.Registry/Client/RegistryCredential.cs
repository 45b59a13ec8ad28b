namespace Polyarch.Registry.Client;

/// <summary>A user name and password (or token), or an identity token, for one registry. Never logged.</summary>
public sealed class RegistryCredential
{
    /// <summary>The user name.</summary>
    public string Username { get; set; } = string.Empty;

    /// <summary>The password or access token.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>
    /// An OAuth2 refresh token (config.json's "identitytoken", or a credential helper's answer with Username "&lt;token&gt;"),
    /// exchanged at the token endpoint for access tokens; wins over the user name and password.
    /// </summary>
    public string? IdentityToken { get; set; }

    /// <inheritdoc />
    public override string ToString() => IdentityToken is null ? $"{Username}:***" : "<identity token>";
}
