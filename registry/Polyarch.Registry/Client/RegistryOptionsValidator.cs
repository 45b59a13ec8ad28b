using Microsoft.Extensions.Options;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <summary>Checks what DataAnnotations cannot, reporting every problem at once.</summary>
internal sealed class RegistryOptionsValidator : IValidateOptions<RegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistryOptions options)
    {
        var failures = new List<string>();
        foreach (var host in options.InsecureHosts)
        {
            if (!ImageReference.TryParse($"{host}/x", out var reference, out _) || reference.Registry != host)
            {
                failures.Add($"Registry:InsecureHosts has '{host}', which is not a host or host:port (e.g. reg.lan:30501).");
            }
        }

        foreach (var (host, file) in options.CaFiles)
        {
            if (host.Contains(':', StringComparison.Ordinal) || !ImageReference.TryParse($"{host}/x", out var reference, out _) || reference.Registry != host)
            {
                failures.Add($"Registry:CaFiles has '{host}', which is not a host name (no port: the CA is trusted for that host on every port).");
            }
            else if (!File.Exists(file))
            {
                failures.Add($"Registry:CaFiles:{host} is '{file}', which does not exist. Point it at the registry's CA certificate (PEM), e.g. the one `polyarch-builder registry profile` installs.");
            }
        }

        // TimeSpan ranges live here, not in [Range(typeof(TimeSpan), …)], which is not trimming-safe.
        Check(failures, nameof(options.TagCacheDuration), options.TagCacheDuration, TimeSpan.Zero, TimeSpan.FromDays(1));
        Check(failures, nameof(options.AttemptTimeout), options.AttemptTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        Check(failures, nameof(options.TotalTimeout), options.TotalTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        Check(failures, nameof(options.BlobAttemptTimeout), options.BlobAttemptTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Check(failures, nameof(options.BlobTotalTimeout), options.BlobTotalTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Check(failures, nameof(options.RetryBaseDelay), options.RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Check(failures, nameof(options.ReferrersSettleDelay), options.ReferrersSettleDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Check(failures, nameof(options.CredentialHelperTimeout), options.CredentialHelperTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));

        if (options.AttemptTimeout > options.TotalTimeout)
        {
            failures.Add($"Registry:AttemptTimeout ({options.AttemptTimeout}) must not exceed Registry:TotalTimeout ({options.TotalTimeout}).");
        }

        if (options.BlobAttemptTimeout > options.BlobTotalTimeout)
        {
            failures.Add($"Registry:BlobAttemptTimeout ({options.BlobAttemptTimeout}) must not exceed Registry:BlobTotalTimeout ({options.BlobTotalTimeout}).");
        }

        foreach (var (host, credential) in options.Credentials)
        {
            if (string.IsNullOrEmpty(credential.Username) && string.IsNullOrEmpty(credential.IdentityToken))
            {
                failures.Add($"Registry:Credentials:{host} has no Username (or IdentityToken).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"Registry:{name} is {value}; it must be between {min} and {max}.");
        }
    }
}
