using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Json;
using Polyarch.Registry;
using Polyarch.Registry.Artifacts;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>
/// `polyarch-invoker artifacts push|referrers|pull`: OCI 1.1 artifacts, ORAS-style (one layer per file, titled with its
/// file name), thin over <see cref="IArtifactStore"/> with the invoker's registry settings (Registry:…, as every verb).
/// </summary>
internal static class ArtifactsCommand
{
    public static Command Create() => new("artifacts", "Push, list and pull OCI artifacts (files in the registry, e.g. a data set that fires an artifact rule). These verbs talk to the registry, not the invoker: they take no --url")
    {
        PushVerb(), ReferrersVerb(), PullVerb(),
    };

    private static Command PushVerb()
    {
        var reference = new Argument<string>("REF") { Description = "Where to push, with a tag: 127.0.0.1:5000/demo/digits:batch-1" };
        var files = new Argument<string[]>("FILE") { Description = "Files, one layer each, titled with their file names", Arity = ArgumentArity.OneOrMore };
        var type = new Option<string>("--type") { Description = "The artifact type (a media type), e.g. application/vnd.polyarch.dataset.v1", Required = true };
        var subject = new Option<string?>("--subject") { Description = "What the artifact is derived from or about: a reference in the same repository, or a digest (sha256:…)" };
        var annotation = new Option<string[]>("--annotation", "-a") { Description = "KEY=VALUE annotation of the manifest; repeatable" };
        var output = CliOptions.Output();
        var command = new Command("push", "Push files as one OCI 1.1 artifact manifest; prints its digest") { reference, files, type, subject, annotation, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = CliOptions.IsJson(parseResult.GetValue(output));
            return await RunAsync(json, async store =>
            {
                var target = ImageReference.Parse(parseResult.GetValue(reference)!);
                if (target.Digest is not null)
                {
                    throw new FormatException($"REF '{target}' names a digest: push to a tag (e.g. {target.RepositoryName}:batch-1); the digest is printed afterwards.");
                }

                var paths = parseResult.GetValue(files) ?? [];
                var missing = paths.Where(p => !File.Exists(p)).ToList();
                if (missing.Count > 0)
                {
                    throw new FormatException($"FILE {string.Join(", ", missing.Select(p => $"'{p}'"))} is not a file: give existing files (directories are not packed; pass their files).");
                }

                var spec = new ArtifactSpec
                {
                    ArtifactType = parseResult.GetValue(type)!,
                    Files = [.. paths.Select(p => ArtifactFile.FromFile(p))],
                    Annotations = ParseAnnotations(parseResult.GetValue(annotation) ?? []),
                    Subject = parseResult.GetValue(subject) is { } s ? Subject(target, s) : null,
                };
                var pushed = await store.PushAsync(target, spec, cancellationToken);
                if (json)
                {
                    var answer = new JsonObject
                    {
                        ["reference"] = pushed.Reference.ToString(),
                        ["digest"] = pushed.Digest.ToString(),
                        ["mediaType"] = pushed.Descriptor.MediaType,
                        ["size"] = pushed.Descriptor.Size,
                        ["artifactType"] = spec.ArtifactType,
                        ["files"] = new JsonArray([.. spec.Files.Select(f => (JsonNode?)f.Title)]),
                        ["subject"] = spec.Subject?.ToString(),
                        ["referrersTag"] = pushed.ReferrersTag?.ToString(),
                    };
                    Console.WriteLine(answer.ToJsonString(InvokerJson.Indented));
                }
                else
                {
                    // The digest alone on stdout, so a script can take it: digest=$(polyarch-invoker artifacts push …).
                    Console.WriteLine(pushed.Digest.ToString());
                    await Console.Error.WriteLineAsync($"pushed {pushed.Reference} ({spec.Files.Count} files, {spec.ArtifactType}){(pushed.ReferrersTag is { } tag ? $"; referrers index {tag}" : "")}");
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command ReferrersVerb()
    {
        var reference = new Argument<string>("REF") { Description = "The subject: a tag or digest reference" };
        var type = new Option<string?>("--type") { Description = "Only referrers of this artifact type" };
        var output = CliOptions.Output();
        var command = new Command("referrers", "List the artifacts whose subject is REF (the referrers API, else the referrers tag schema)") { reference, type, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = CliOptions.IsJson(parseResult.GetValue(output));
            return await RunAsync(json, async store =>
            {
                var subject = ImageReference.Parse(parseResult.GetValue(reference)!);
                var referrers = await store.ListReferrersAsync(subject, parseResult.GetValue(type), cancellationToken);
                if (json)
                {
                    Console.WriteLine(JsonSerializer.Serialize(referrers, InvokerJson.Indented));
                }
                else
                {
                    foreach (var referrer in referrers)
                    {
                        Console.WriteLine($"{referrer.Digest}  {referrer.ArtifactType ?? "-",-48} {referrer.Size,8}");
                    }
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command PullVerb()
    {
        var reference = new Argument<string>("REF") { Description = "The artifact: a tag or digest reference" };
        var directory = new Argument<string>("DIR") { Description = "Where to write its files (created 0700; files 0600)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace files that exist in DIR (default: refuse)" };
        var output = CliOptions.Output();
        var command = new Command("pull", "Write an artifact's files into a directory, each verified against its digest") { reference, directory, overwrite, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = CliOptions.IsJson(parseResult.GetValue(output));
            return await RunAsync(json, async store =>
            {
                var source = ImageReference.Parse(parseResult.GetValue(reference)!);
                var pulled = await store.PullAsync(source, parseResult.GetValue(directory)!, new ArtifactPullOptions { Overwrite = parseResult.GetValue(overwrite) }, cancellationToken);
                if (json)
                {
                    Console.WriteLine(JsonSerializer.Serialize(pulled, InvokerJson.Indented));
                }
                else
                {
                    foreach (var file in pulled)
                    {
                        Console.WriteLine($"{file.Path}  {file.Size} bytes  {file.Digest}");
                    }
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static async Task<int> RunAsync(bool json, Func<IArtifactStore, Task<int>> run)
    {
        await using var services = CliHost.Create();
        try
        {
            return await run(services.GetRequiredService<IArtifactStore>());
        }
        catch (Exception exception) when (exception is RegistryException or FormatException or ArgumentException or HttpRequestException or IOException or UnauthorizedAccessException)
        {
            var code = exception switch
            {
                InvalidReferenceException or InvalidArtifactException or FormatException or ArgumentException => ExitCodes.InvalidInput,
                RegistryUnavailableException or HttpRequestException => ExitCodes.Unavailable,
                _ => ExitCodes.Failed,
            };
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            if (json)
            {
                Console.WriteLine(new JsonObject { ["error"] = exception.Message, ["exitCode"] = code, ["kind"] = exception.GetType().Name }.ToJsonString(InvokerJson.Indented));
            }

            return code;
        }
    }

    /// <summary>A subject given as a digest means the pushed repository's manifest of that digest.</summary>
    private static ImageReference Subject(ImageReference target, string subject) =>
        subject.StartsWith("sha256:", StringComparison.Ordinal) || subject.StartsWith("sha512:", StringComparison.Ordinal)
            ? ImageReference.Parse(target.RepositoryName).WithDigest(Digest.Parse(subject))
            : ImageReference.Parse(subject);

    private static Dictionary<string, string>? ParseAnnotations(string[] pairs)
    {
        if (pairs.Length == 0)
        {
            return null;
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"--annotation {pair} is not KEY=VALUE (e.g. --annotation org.opencontainers.image.description=digits).");
            }

            annotations[pair[..equals]] = pair[(equals + 1)..];
        }

        return annotations;
    }
}
