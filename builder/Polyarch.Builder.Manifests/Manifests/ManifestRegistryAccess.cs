using System.CommandLine;
using Polyarch.Registry.References;

namespace Polyarch.Builder.Manifests;

/// <summary>--insecure / --ca FILE: how a manifest verb reaches the target's registry (plain HTTP, or TLS from a private CA).</summary>
internal sealed class ManifestRegistryAccess
{
    public Option<bool> Insecure { get; } = ManifestCliOptions.Insecure();

    public Option<FileInfo> Ca { get; } = new Option<FileInfo>("--ca")
    {
        Description = "Trust this PEM CA certificate for the target's registry host (a registry with TLS from a private CA)",
    }.AcceptExistingOnly();

    public void AddTo(Command command)
    {
        command.Options.Add(Insecure);
        command.Options.Add(Ca);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Insecure) && result.GetValue(Ca) is not null)
            {
                result.AddError("--insecure (plain HTTP) and --ca (TLS from a private CA) exclude each other; a registry speaks one of them.");
            }
        });
    }

    /// <summary>The registry services for <paramref name="target"/> with what the options say.</summary>
    public Microsoft.Extensions.DependencyInjection.ServiceProvider CreateServices(ParseResult parseResult, ImageReference target) =>
        ManifestCliServices.Create(
            parseResult.GetValue(Insecure) ? [target] : [],
            parseResult.GetValue(Ca) is { } ca ? new Dictionary<string, string> { [HostOf(target.Registry)] = ca.FullName } : null);

    private static string HostOf(string registry)
    {
        var colon = registry.LastIndexOf(':');
        return colon > registry.LastIndexOf(']') && colon >= 0 ? registry[..colon] : registry;
    }
}
