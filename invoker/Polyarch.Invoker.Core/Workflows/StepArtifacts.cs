using System.Text.Json.Nodes;
using Polyarch.Invoker.Activations;
using Polyarch.Registry.Artifacts;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Workflows;

/// <summary>
/// A step's files in the registry: outputs pushed as one OCI 1.1 artifact manifest per (step, platform) with the
/// trigger's manifest as subject; inputs pulled from the trigger's artifact or an earlier step's.
/// </summary>
internal sealed class StepArtifacts(IArtifactStore artifacts, IRegistryClient registry)
{
    /// <summary>The artifactType of every step result.</summary>
    public const string ArtifactType = "application/vnd.polyarch.step-result.v1+json";

    /// <summary>Pushes a step's output files under <c>RESULTS:RUN-STEP-ARCH</c>.</summary>
    public async Task<WorkflowArtifact> PushAsync(
        WorkflowRun run, string step, string platform, string activationId, IReadOnlyList<ActivationFile> files, DateTimeOffset created, CancellationToken cancellationToken)
    {
        var results = ImageReference.Parse(run.Results!);
        var tag = $"{run.Id}-{step}-{Arch(platform)}";
        var subject = await SubjectAsync(run, results, cancellationToken);
        var spec = new ArtifactSpec
        {
            ArtifactType = ArtifactType,
            Files = [.. files.Select(f => ArtifactFile.FromBytes(f.Name, f.Content))],
            Subject = subject,
            Annotations = new Dictionary<string, string>
            {
                ["io.polyarch.workflow"] = run.Workflow,
                ["io.polyarch.run"] = run.Id,
                ["io.polyarch.step"] = step,
                ["io.polyarch.platform"] = platform,
                ["io.polyarch.activation"] = activationId,
                ["org.opencontainers.image.created"] = created.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        var pushed = await artifacts.PushAsync(results.WithTag(tag), spec, cancellationToken);
        var manifest = await artifacts.GetAsync(results.WithDigest(pushed.Digest), cancellationToken);
        var layers = manifest?.Files ?? [];
        return new WorkflowArtifact(
            $"{results.RepositoryName}@{pushed.Digest}", // pinned by digest alone: the results repository has no tag of its own
            pushed.Digest.ToString(),
            tag,
            [.. layers.Select(l => new WorkflowFile(l.Annotations?.GetValueOrDefault("org.opencontainers.image.title") ?? "", l.Size, l.Digest.ToString()))]);
    }

    /// <summary>The files a step asked for, as <c>"polyarch:files"</c> (name → base64); the error names the source, the file and the fix.</summary>
    public async Task<(JsonObject? Files, string? Error)> InputsAsync(
        WorkflowRun run, WorkflowStepDefinition step, long maxBytes, CancellationToken cancellationToken)
    {
        if (step.Files.Count == 0)
        {
            return (null, null);
        }

        var files = new JsonObject();
        long total = 0;
        var directory = Directory.CreateTempSubdirectory("polyarch-step-").FullName;
        try
        {
            var pulled = new Dictionary<string, IReadOnlyList<PulledFile>>(StringComparer.Ordinal);
            foreach (var entry in step.Files)
            {
                var slash = entry.IndexOf('/', StringComparison.Ordinal);
                var source = slash < 0 ? entry : entry[..slash];
                var name = slash < 0 ? null : entry[(slash + 1)..];
                var (reference, error) = SourceOf(run, source);
                if (reference is null)
                {
                    return (null, $"input files '{entry}': {error}");
                }

                if (!pulled.TryGetValue(source, out var sourceFiles))
                {
                    var target = Path.Combine(directory, pulled.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    sourceFiles = await artifacts.PullAsync(ImageReference.Parse(reference), target, new ArtifactPullOptions { MaxFileBytes = maxBytes }, cancellationToken);
                    pulled[source] = sourceFiles;
                }

                var chosen = name is null ? sourceFiles : sourceFiles.Where(f => f.Title == name).ToList();
                if (name is not null && chosen.Count == 0)
                {
                    return (null, $"input file '{entry}': {reference} has no file '{name}' (it has {string.Join(", ", sourceFiles.Select(f => f.Title))}); fix the name in files:");
                }

                foreach (var file in chosen)
                {
                    total += file.Size;
                    if (total > maxBytes)
                    {
                        return (null, $"input file '{file.Title}' from '{entry}' brings the step's input files to {total} bytes, over the cap of {maxBytes} (Invoker:MaxFilesBytes); pass fewer or smaller files");
                    }

                    if (files.ContainsKey(file.Title))
                    {
                        return (null, $"input file '{file.Title}' comes from two sources (one is '{entry}'); name each file once in files:");
                    }

                    files[file.Title] = Convert.ToBase64String(await File.ReadAllBytesAsync(file.Path, cancellationToken));
                }
            }

            return (files, null);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Gives the artifact <paramref name="reference"/> the tag <paramref name="tag"/> in the results repository (copying it there if it lives elsewhere).</summary>
    public async Task<JsonObject> TagAsync(WorkflowRun run, string reference, string tag, CancellationToken cancellationToken)
    {
        var results = ImageReference.Parse(run.Results!);
        var source = ImageReference.Parse(reference);
        var document = await registry.GetManifestAsync(source, cancellationToken)
            ?? throw new ManifestNotFoundException(source);
        if (source.RepositoryName != results.RepositoryName)
        {
            await CopyAsync(source, document, results, cancellationToken);
        }

        await registry.PutManifestAsync(results.WithTag(tag), document.Content, document.MediaType, cancellationToken);
        return new JsonObject { ["reference"] = results.WithTag(tag).ToString(), ["digest"] = document.Digest.ToString() };
    }

    /// <summary>The architecture part of a tag: arm64, amd64, armv7.</summary>
    public static string Arch(string platform)
    {
        var parsed = Platform.Parse(platform);
        return (parsed.Architecture + parsed.Variant).ToLowerInvariant();
    }

    private static (string? Reference, string? Error) SourceOf(WorkflowRun run, string source)
    {
        if (source == "trigger")
        {
            return run.Trigger is { Digest: { } digest, Repository: { } repository } trigger
                ? ($"{trigger.Registry ?? ImageReference.Parse(run.Results!).Registry}/{repository}@{digest}", null)
                : (null, "this run has no trigger artifact (it was started by hand or a schedule); start it from an artifact push or drop the file");
        }

        var name = source["steps.".Length..];
        var state = run.Steps.FirstOrDefault(s => s.Name == name);
        return state?.Runs.FirstOrDefault()?.Artifact is { } artifact
            ? (artifact.Reference, null)
            : (null, $"step '{name}' saved no files, so it has no artifact; make it save the files this step reads");
    }

    /// <summary>The trigger's manifest as the subject, in the results repository (copied there first when it lives elsewhere).</summary>
    private async Task<ImageReference?> SubjectAsync(WorkflowRun run, ImageReference results, CancellationToken cancellationToken)
    {
        if (run.Trigger is not { Digest: { } digest, Repository: { } repository } trigger)
        {
            return null;
        }

        var local = results.WithDigest(Digest.Parse(digest));
        if (await registry.HeadManifestAsync(local, cancellationToken) is not null)
        {
            return local;
        }

        var source = ImageReference.Parse($"{trigger.Registry ?? results.Registry}/{repository}@{digest}");
        var document = await registry.GetManifestAsync(source, cancellationToken);
        if (document is null)
        {
            return null;
        }

        await CopyAsync(source, document, results, cancellationToken);
        return local;
    }

    /// <summary>Copies a manifest (and what it references: blobs by cross-repository mount, an index's manifests) into another repository of the same registry.</summary>
    private async Task CopyAsync(ImageReference source, ManifestDocument document, ImageReference target, CancellationToken cancellationToken)
    {
        if (document.Index is { } index)
        {
            foreach (var child in index.Manifests)
            {
                var childDocument = await registry.GetManifestAsync(source.WithDigest(child.Digest), cancellationToken);
                if (childDocument is not null)
                {
                    await CopyAsync(source, childDocument, target, cancellationToken);
                }
            }
        }
        else if (document.Manifest is { } manifest)
        {
            foreach (var blob in manifest.Layers.Append(manifest.Config))
            {
                if (!await registry.BlobExistsAsync(target, blob.Digest, cancellationToken)
                    && !await registry.MountBlobAsync(target, blob.Digest, source.Repository, cancellationToken))
                {
                    var content = await registry.GetBlobAsync(source, blob.Digest, cancellationToken) ?? throw new InvalidArtifactException(source.ToString(), $"its blob {blob.Digest} is missing from {source.RepositoryName}");
                    await registry.PushBlobAsync(target, blob.Digest, content, cancellationToken);
                }
            }
        }

        await registry.PutManifestAsync(target.WithDigest(document.Digest), document.Content, document.MediaType, cancellationToken);
    }
}
