using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Registry.Indexes;
using Polyarch.Registry.References;

namespace Polyarch.Builder.Manifests;

/// <summary>`manifest append TARGET SOURCE`: add one platform to an existing index (or create it).</summary>
internal static class ManifestAppendCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "The index to extend, e.g. 127.0.0.1:5000/action:latest" };
        var source = new Argument<string>("source") { Description = "The per-architecture image to add (same registry)" };
        var output = ManifestCliOptions.Output();
        var access = new ManifestRegistryAccess();
        var annotations = new ManifestAnnotationOptions();
        var command = new Command("append", "Add a platform to a multi-platform index") { target, source, output };
        access.AddTo(command);
        annotations.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var format = parseResult.GetValue(output)!;
            return ManifestCliRunner.RunAsync(parseResult, format, async stdout =>
            {
                var targetReference = ImageReference.Parse(parseResult.GetValue(target)!);
                var sourceReference = ImageReference.Parse(parseResult.GetValue(source)!);
                await using var services = access.CreateServices(parseResult, targetReference);
                var index = await services.GetRequiredService<IIndexAssembler>()
                    .AppendAsync(targetReference, sourceReference, annotations.Read(parseResult), cancellationToken);
                await ManifestAssembleOutput.WriteAsync(stdout, index, format);
            });
        });
        return command;
    }
}
