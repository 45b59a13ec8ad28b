using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Builder.Publishing;

/// <summary>
/// Removes a build's staging tag (<c>:polyarch-build-&lt;id&gt;</c>) once the verified tags point at its index, without
/// ever deleting that index. distribution 2.8 deletes only by digest (a tag DELETE answers 400 DIGEST_INVALID), and a
/// digest DELETE also drops every tag on that digest — the verified ones included. So the staging tag is first pointed
/// at a placeholder of its own (an empty OCI manifest that names the tag: a digest no other tag has), and that
/// placeholder is deleted by digest, which takes the staging tag with it. The same works on registries that also delete
/// tags alone (distribution 3), and it never relies on how a registry reads a tag DELETE (some delete the manifest).
/// A registry with deletes disabled keeps its staging tags; that is said once.
/// </summary>
internal sealed partial class StagingTags(IRegistryClient client, ILogger<StagingTags> logger)
{
    // The OCI empty descriptor (image-spec 1.1, manifest.md "Guidance for an Empty Descriptor").
    private static readonly byte[] EmptyJson = "{}"u8.ToArray();
    private static readonly Digest EmptyDigest = Digest.Compute(EmptyJson);
    private static readonly Digest Unknown = Digest.Parse("sha256:" + new string('0', 64));
    private readonly ConcurrentDictionary<string, bool> _refusing = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Deletes the staging tag; never throws for the build's sake (a tag left behind never triggers anything).</summary>
    /// <returns>Whether the tag is gone.</returns>
    public async Task<bool> DeleteAsync(string registry, string repository, string stagingTag, string verifiedDigest, CancellationToken cancellationToken)
    {
        if (_refusing.ContainsKey(registry))
        {
            return false;
        }

        var tag = ImageReference.Parse($"{registry}/{repository}:{stagingTag}");
        try
        {
            // Deletes disabled (storage.delete.enabled: false) answer 405 UNSUPPORTED even for a digest that does not exist.
            if (!await DeletesEnabledAsync(tag, cancellationToken).ConfigureAwait(false))
            {
                if (_refusing.TryAdd(registry, true))
                {
                    Log.Refused(logger, registry);
                }

                return false;
            }

            var placeholder = Placeholder(tag);
            var digest = Digest.Compute(placeholder);
            if (digest.ToString() == verifiedDigest)
            {
                return false; // Cannot happen (the placeholder names the tag); never delete what a verified tag uses.
            }

            if (!await client.BlobExistsAsync(tag, EmptyDigest, cancellationToken).ConfigureAwait(false))
            {
                await client.PushBlobAsync(tag, EmptyDigest, EmptyJson, cancellationToken).ConfigureAwait(false);
            }

            await client.PutManifestAsync(tag, placeholder, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
            await client.DeleteManifestAsync(tag.WithDigest(digest), cancellationToken).ConfigureAwait(false);
            Log.Deleted(logger, tag, digest);
            return true;
        }
        catch (RegistryException exception)
        {
            Log.Failed(logger, tag.ToString(), exception.Message);
            return false;
        }
    }

    private async Task<bool> DeletesEnabledAsync(ImageReference tag, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteManifestAsync(tag.WithDigest(Unknown), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RegistryRequestException exception) when (exception.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest)
        {
            return false;
        }
    }

    private static byte[] Placeholder(ImageReference tag) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = new Dictionary<string, object> { ["mediaType"] = "application/vnd.oci.empty.v1+json", ["digest"] = EmptyDigest.ToString(), ["size"] = EmptyJson.Length },
            ["layers"] = Array.Empty<object>(),
            ["annotations"] = new Dictionary<string, string> { ["io.polyarch.staging-tag"] = tag.ToString() },
        });

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "Deleted the staging tag {ImageRef} (through its placeholder {Digest})")]
        public static partial void Deleted(ILogger logger, ImageReference imageRef, Digest digest);

        [LoggerMessage(EventId = 401, Level = LogLevel.Warning,
            Message = "The registry {Registry} does not allow deletes (distribution: storage.delete.enabled is off), so staging tags polyarch-build-* stay; they never trigger rules (Triggers:IgnoredTags). Enable deletes to have them removed.")]
        public static partial void Refused(ILogger logger, string registry);

        [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "The staging tag {ImageRef} could not be deleted ({Reason}); it stays and never triggers rules")]
        public static partial void Failed(ILogger logger, string imageRef, string reason);
    }
}
