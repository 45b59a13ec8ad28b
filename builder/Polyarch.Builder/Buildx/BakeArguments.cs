using System.Globalization;

namespace Polyarch.Builder.Buildx;

/// <summary>Turns a <see cref="BakeInvocation"/> into buildx's argument list (pure: tested without docker).</summary>
internal static class BakeArguments
{
    public const string CacheTag = "buildcache";

    /// <summary>The one tag bake pushes <paramref name="target"/> to (<c>registry/repository:polyarch-build-ID</c>), as BuildKit then names it.</summary>
    public static string StagingReference(BakeInvocation invocation, Definition.BuildTarget target) =>
        $"{invocation.Registry}/{target.Repository}:{invocation.StagingTag}";

    /// <summary>
    /// The argument list. Only the staging tag is pushed: real tags are moved by manifest PUTs after the
    /// index is verified, so a failed platform can never move them.
    /// </summary>
    /// <remarks>
    /// Build cache: one registry cache per repository (<c>:buildcache</c>, <c>type=registry,mode=max</c>).
    /// buildx#1044 / buildkit#2822 reported that a multi-platform cache export kept one platform only; on
    /// this host (engine 26.1 with its built-in BuildKit, buildx 0.13.1) the exported cache index holds
    /// the layers of every platform (checked: a 3-platform RUN step left 3 RUN layers in the cache), so no
    /// per-platform cache keys are needed. A build of fewer platforms overwrites the cache with those only.
    /// </remarks>
    public static IReadOnlyList<string> Build(BakeInvocation invocation)
    {
        List<string> arguments = ["buildx", "bake"];
        if (invocation.BuilderName is not null)
        {
            arguments.AddRange(["--builder", invocation.BuilderName]);
        }

        foreach (var file in invocation.Definition.Files)
        {
            arguments.AddRange(["--file", file]);
        }

        arguments.AddRange(["--push", "--metadata-file", invocation.MetadataFile, "--progress", "rawjson"]);
        var created = invocation.Created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var annotations = new (string Key, string Value)[]
        {
            ("org.opencontainers.image.source", invocation.SourceUrl),
            ("org.opencontainers.image.revision", invocation.Revision),
            ("org.opencontainers.image.created", created),
        };
        foreach (var target in invocation.Definition.Targets)
        {
            var name = target.Name;
            var repository = $"{invocation.Registry}/{target.Repository}";
            foreach (var platform in invocation.Platforms)
            {
                Set(arguments, name, "platform", platform);
            }

            Set(arguments, name, "tags", StagingReference(invocation, target));
            foreach (var (key, value) in annotations)
            {
                Set(arguments, name, $"labels.{key}", value);
            }

            var output = new List<string> { "type=image", "push=true" };
            foreach (var (key, value) in annotations)
            {
                output.Add(Csv($"annotation-index.{key}={value}"));
                output.Add(Csv($"annotation-manifest.{key}={value}"));
            }

            Set(arguments, name, "output", string.Join(',', output));
            if (invocation.UseCache)
            {
                Set(arguments, name, "cache-from", $"type=registry,ref={repository}:{CacheTag}");
                Set(arguments, name, "cache-to", $"type=registry,ref={repository}:{CacheTag},mode=max");
            }
        }

        arguments.Add("--");
        arguments.AddRange(invocation.Definition.Targets.Select(t => t.Name));
        return arguments;
    }

    private static void Set(List<string> arguments, string target, string key, string value)
    {
        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A bake value for {target}.{key} contains a line break: '{value}'.", nameof(value));
        }

        arguments.Add("--set");
        arguments.Add($"{target}.{key}={value}");
    }

    // The output attribute list is CSV: quote fields (and double inner quotes) so commas in values survive.
    private static string Csv(string field) => $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
