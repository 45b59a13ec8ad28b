using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Registry.Indexes;
using Polyarch.Registry.References;

namespace Polyarch.Builder.Manifests;

/// <summary>`manifest create TARGET SOURCE...`: one index from per-architecture images of the same registry.</summary>
internal static class ManifestCreateCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "The index to write, e.g. 127.0.0.1:5000/action:latest" };
        var sources = new Argument<string[]>("sources")
        {
            Description = "Per-architecture images (same registry; single manifests or buildx indexes with one image)",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = ManifestCliOptions.Output();
        var access = new ManifestRegistryAccess();
        var annotations = new ManifestAnnotationOptions();
        var command = new Command("create", "Assemble per-architecture images into one multi-platform index") { target, sources, output };
        access.AddTo(command);
        annotations.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var format = parseResult.GetValue(output)!;
            return ManifestCliRunner.RunAsync(parseResult, format, async stdout =>
            {
                var targetReference = ImageReference.Parse(parseResult.GetValue(target)!);
                var sourceReferences = parseResult.GetValue(sources)!.Select(ImageReference.Parse).ToList();
                await using var services = access.CreateServices(parseResult, targetReference);
                var index = await services.GetRequiredService<IIndexAssembler>()
                    .CreateAsync(targetReference, sourceReferences, annotations.Read(parseResult), cancellationToken);
                await ManifestAssembleOutput.WriteAsync(stdout, index, format);
            });
        });
        return command;
    }
}
