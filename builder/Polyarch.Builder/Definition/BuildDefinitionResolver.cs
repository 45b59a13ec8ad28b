using System.Text.Json;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Errors;

namespace Polyarch.Builder.Definition;

/// <summary>
/// Finds what to build in a checkout: its docker-bake file resolved by <c>docker buildx bake --print</c>
/// (never a home-made HCL parser), else the root Dockerfile as one target.
/// </summary>
internal sealed class BuildDefinitionResolver(DockerCli docker)
{
    private static readonly string[] BakeFiles = ["docker-bake.hcl", "docker-bake.json", "docker-bake.override.hcl", "docker-bake.override.json"];

    public async Task<BuildDefinition> ResolveAsync(string checkout, string scratchDirectory, string repository, CancellationToken cancellationToken)
    {
        if (BakeFiles.Any(f => File.Exists(Path.Combine(checkout, f))))
        {
            var result = await docker.RunAsync(["buildx", "bake", "--print"], checkout, null, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidBuildInputException(
                    $"docker buildx bake --print could not read the repository's bake file (exit {result.ExitCode}): {LastLines(result.StandardErrorTail)}. Fix docker-bake.hcl and push again.");
            }

            var targets = ParseTargets(result.StandardOutput, checkout);
            return new BuildDefinition([], [.. targets.Select(t => new BuildTarget(t, targets.Count == 1 ? repository : $"{repository}/{t}"))], FromBakeFile: true);
        }

        if (!File.Exists(Path.Combine(checkout, "Dockerfile")))
        {
            throw new InvalidBuildInputException("The repository has neither a docker-bake.hcl nor a root Dockerfile. Add one of them and push again.");
        }

        // One generated target for the root Dockerfile keeps a single code path: everything is bake.
        Directory.CreateDirectory(scratchDirectory);
        var file = Path.Combine(scratchDirectory, "polyarch.bake.json");
        var definition = new Dictionary<string, object>
        {
            ["target"] = new Dictionary<string, object> { ["default"] = new Dictionary<string, string> { ["context"] = checkout, ["dockerfile"] = "Dockerfile" } },
        };
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(definition), cancellationToken).ConfigureAwait(false);
        return new BuildDefinition([file], [new BuildTarget("default", repository)], FromBakeFile: false);
    }

    /// <summary>The target names of <c>bake --print</c> output; contexts must stay inside the checkout.</summary>
    internal static IReadOnlyList<string> ParseTargets(string printed, string checkout)
    {
        using var document = JsonDocument.Parse(printed);
        if (!document.RootElement.TryGetProperty("target", out var targets) || targets.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidBuildInputException("The bake file defines no targets. Add a target (or a default group) to docker-bake.hcl.");
        }

        var names = new List<string>();
        var problems = new List<string>();
        foreach (var target in targets.EnumerateObject())
        {
            names.Add(target.Name);
            foreach (var context in Contexts(target.Value))
            {
                if (!IsInside(checkout, context))
                {
                    problems.Add($"target '{target.Name}' uses context '{context}' outside the repository");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidBuildInputException($"The bake file reaches outside the checkout: {string.Join("; ", problems)}. Use paths inside the repository.");
        }

        return names;
    }

    private static IEnumerable<string> Contexts(JsonElement target)
    {
        if (target.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.String)
        {
            yield return context.GetString()!;
        }

        if (target.TryGetProperty("contexts", out var named) && named.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in named.EnumerateObject())
            {
                yield return entry.Value.GetString() ?? "";
            }
        }
    }

    private static bool IsInside(string checkout, string context)
    {
        if (context.StartsWith("docker-image://", StringComparison.Ordinal) || context.StartsWith("target:", StringComparison.Ordinal)
            || context.Contains("://", StringComparison.Ordinal))
        {
            return true; // Images, other targets and remote contexts are not host paths.
        }

        var full = Path.GetFullPath(Path.Combine(checkout, context));
        var root = Path.GetFullPath(checkout).TrimEnd('/') + "/";
        return full == root.TrimEnd('/') || full.StartsWith(root, StringComparison.Ordinal);
    }

    private static string LastLines(string text) => string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
}
