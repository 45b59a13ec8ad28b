using Microsoft.Extensions.Options;

namespace Polyarch.Builder.Fitness;

/// <summary>
/// Checks how `serve` is exposed; every problem at once, each naming the setting and the fix. The invoker's validator
/// says the same words (the shared hosting suite in tests/Polyarch.Testing checks both).
/// </summary>
internal sealed class ServiceOptionsValidator(string urls) : IValidateOptions<BuilderServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, BuilderServiceOptions options)
    {
        var errors = new List<string>();
        var remote = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(u => !IsLoopback(u)).ToList();
        if (remote.Count > 0 && !options.AllowRemote)
        {
            errors.Add($"--urls {string.Join(";", remote)} listens beyond 127.0.0.1. Listen on http://127.0.0.1:PORT, or set Service:AllowRemote=true (POLYARCH_Service__AllowRemote=true) together with Service:RequireApiKey=true.");
        }

        if (remote.Count > 0 && options.AllowRemote && !options.RequireApiKey)
        {
            errors.Add("Service:AllowRemote=true needs Service:RequireApiKey=true (POLYARCH_Service__RequireApiKey=true): the REST API must not be open to the network.");
        }

        if (options.ApiKey is { Length: > 0 and < 16 })
        {
            errors.Add("Service:ApiKey is shorter than 16 characters. Use a random key (e.g. `openssl rand -hex 32`) or leave it unset to generate one into secrets/builder-api.key.");
        }

        if (options.MaxRequestBodyBytes < 1024)
        {
            errors.Add($"Service:MaxRequestBodyBytes is {options.MaxRequestBodyBytes}; it must be at least 1024 (the default is 1048576, 1 MiB).");
        }

        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }

    private static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("*", "wildcard", StringComparison.Ordinal).Replace("+", "wildcard", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.Host is "localhost" || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
    }
}
