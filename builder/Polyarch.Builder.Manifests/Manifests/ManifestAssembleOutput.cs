using System.Text.Json;
using Polyarch.Registry.Indexes;

namespace Polyarch.Builder.Manifests;

/// <summary>Prints an assembled index as a short report or JSON.</summary>
internal static class ManifestAssembleOutput
{
    public static Task WriteAsync(TextWriter stdout, AssembledIndex index, string format)
    {
        var output = new AssembleOutput(
            index.Reference.ToString(), index.Digest.ToString(), index.MediaType, index.Size,
            [.. index.Children.Select(c => new AssembleChild(c.Platform.ToString(), c.Digest.ToString(), c.Size, c.MediaType, c.Source.ToString()))]);
        if (ManifestCliOptions.IsStructured(format))
        {
            return stdout.WriteLineAsync(ManifestCliOptions.Render(JsonSerializer.Serialize(output, ManifestOutputJsonContext.Output.AssembleOutput), format));
        }

        var lines = new List<string> { $"pushed {output.Reference}@{output.Digest} ({output.MediaType})" };
        lines.AddRange(output.Children.Select(c => $"  {c.Platform,-16} {c.Digest}  from {c.Source}"));
        return stdout.WriteLineAsync(string.Join(Environment.NewLine, lines));
    }
}
