using Polyarch.Registry.Client;

namespace Polyarch.Registry.Auth;

/// <summary>The outcome of looking a registry's credentials up: the credential and where it came from, or every source tried.</summary>
internal sealed record CredentialLookup(string Registry, RegistryCredential? Credential, string? Source, IReadOnlyList<string> Tried)
{
    /// <summary>What to tell the user when the registry answered 401: which sources were tried and the fix.</summary>
    public string Advice => Credential is null
        ? $"No credentials for {Registry} were found (tried: {string.Join("; ", Tried)}). " +
          $"Log in with `docker login {Registry}` (Polyarch reads what it stores, in auths, credsStore or credHelpers), " +
          $"or set Registry:Credentials:{Registry}:Username and Password."
        : $"The registry rejected the credentials for {Registry} from {Source}. " +
          $"Log in again with `docker login {Registry}`, or set Registry:Credentials:{Registry}:Username and Password.";
}
