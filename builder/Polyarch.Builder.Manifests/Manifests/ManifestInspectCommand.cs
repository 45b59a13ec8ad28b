using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Builder.Manifests;

/// <summary>`manifest inspect REF`: every entry of an index (platform, digest, size, runnable or attestation).</summary>
internal static class ManifestInspectCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("reference") { Description = "The image, e.g. 127.0.0.1:5000/demo/echo:latest" };
        var output = ManifestCliOptions.Output();
        var access = new ManifestRegistryAccess();
        var command = new Command("inspect", "Show the platforms of an image index (or single manifest)") { reference, output };
        access.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var format = parseResult.GetValue(output)!;
            return ManifestCliRunner.RunAsync(parseResult, format, async stdout =>
            {
                var image = ImageReference.Parse(parseResult.GetValue(reference)!);
                await using var services = access.CreateServices(parseResult, image);
                var result = await InspectAsync(services.GetRequiredService<IRegistryClient>(), image, cancellationToken);
                await stdout.WriteLineAsync(ManifestCliOptions.IsStructured(format)
                    ? ManifestCliOptions.Render(JsonSerializer.Serialize(result, ManifestOutputJsonContext.Output.InspectOutput), format)
                    : ToTable(result));
            });
        });
        return command;
    }

    internal static async Task<InspectOutput> InspectAsync(IRegistryClient client, ImageReference reference, CancellationToken cancellationToken)
    {
        var document = await client.GetManifestAsync(reference, cancellationToken) ?? throw new ManifestNotFoundException(reference);
        IReadOnlyList<InspectEntry> entries;
        if (document.Index is { } index)
        {
            entries = [.. index.Manifests.Select(d => new InspectEntry(
                d.Platform?.ToString() ?? "-", d.Digest.ToString(), d.Size, d.MediaType, d.IsRunnable,
                d.IsAttestation ? "attestation" : d.IsRunnable ? "image" : "other"))];
        }
        else
        {
            var config = await client.GetBlobAsync(reference, document.Manifest!.Config.Digest, cancellationToken)
                ?? throw new ManifestNotFoundException(reference.WithDigest(document.Manifest.Config.Digest));
            var platform = ManifestSerializer.DeserializeConfig(config.Span, reference.ToString()).Platform;
            entries = [new InspectEntry(platform.ToString(), document.Digest.ToString(), document.Content.Length, document.MediaType, !platform.IsUnknown, "image")];
        }

        return new InspectOutput(reference.ToString(), document.Digest.ToString(), document.MediaType, document.Content.Length, entries, document.Index?.Annotations);
    }

    private static string ToTable(InspectOutput result)
    {
        var lines = new List<string>
        {
            $"{result.Reference}",
            $"digest: {result.Digest}  ({result.MediaType}, {result.Size} bytes)",
            string.Empty,
            $"{"PLATFORM",-18} {"DIGEST",-71} {"SIZE",8}  KIND",
        };
        lines.AddRange(result.Manifests.Select(e =>
            $"{e.Platform,-18} {e.Digest,-71} {e.Size.ToString(CultureInfo.InvariantCulture),8}  {(e.Runnable ? "runnable" : e.Kind)}"));
        return string.Join(Environment.NewLine, lines);
    }
}
