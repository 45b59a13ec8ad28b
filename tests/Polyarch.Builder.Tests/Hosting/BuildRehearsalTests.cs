using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Hosting;

/// <summary>
/// A just-started `serve` rehearses one whole build before it announces itself (issue 18, P5): the build path's own types,
/// composed as the service composes them, submit, fetch, claim, check out, bake through a stand-in for buildx, verify,
/// annotate, tag, record and follow one build of a one-commit repository — against a registry in memory, in a directory of
/// its own that is gone afterwards, without a span in the service's traces.
/// </summary>
public sealed class BuildRehearsalTests
{
    [Fact]
    public async Task The_rehearsal_runs_a_whole_build_against_the_in_memory_registry_and_leaves_nothing_behind()
    {
        using var temp = new TempDirectory();
        var directory = temp.Combine("rehearsal");

        var registry = await BuildRehearsal.RunAsync(directory, TimeProvider.System, CancellationToken.None);

        var requests = registry.Requests.ToList();
        requests.ShouldContain("GET /v2/polyarch/reachability-probe/tags/list", "the reachability probe every build starts with");
        requests.Count(r => r.StartsWith("GET /v2/polyarch/warm-up/manifests/sha256:", StringComparison.Ordinal))
            .ShouldBeGreaterThanOrEqualTo(3, "verify read the index the stand-in reported and both images");
        requests.Count(r => r.StartsWith("GET /v2/polyarch/warm-up/blobs/sha256:", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(2, "both configs");
        requests.ShouldContain(r => r.StartsWith("PUT /v2/polyarch/warm-up/manifests/polyarch-build-", StringComparison.Ordinal), "the annotated index under the build's staging tag");
        requests.ShouldContain("PUT /v2/polyarch/warm-up/manifests/latest", "the real tags move after verification");
        requests.ShouldContain("POST /v2/polyarch/warm-up/blobs/uploads/", "the staging tag's placeholder needs the empty blob");
        requests.Count(r => r.StartsWith("DELETE /v2/polyarch/warm-up/manifests/sha256:", StringComparison.Ordinal))
            .ShouldBe(2, "the staging tag's removal, done before the rehearsal ends: the deletes probe, then the placeholder");
        Directory.Exists(directory).ShouldBeFalse("the repository, the stand-in, the state and the store are deleted");
    }

    [Fact]
    public async Task A_rehearsal_left_by_a_killed_service_is_replaced_not_built_upon()
    {
        using var temp = new TempDirectory();
        var directory = temp.Combine("rehearsal");
        Directory.CreateDirectory(Path.Combine(directory, "state", "builder"));
        await File.WriteAllTextAsync(Path.Combine(directory, "state", "builder", "builds.db"), "not a database");

        await BuildRehearsal.RunAsync(directory, TimeProvider.System, CancellationToken.None);

        Directory.Exists(directory).ShouldBeFalse();
    }

    [Fact]
    public async Task The_rehearsed_build_is_no_span_of_the_services_traces()
    {
        var spans = new List<Activity>();
        using (OpenTelemetry.Sdk.CreateTracerProviderBuilder().SetSampler(new AlwaysOnSampler()).AddSource("Polyarch.Builder").AddInMemoryExporter(spans).Build())
        {
            using var temp = new TempDirectory();
            await BuildRehearsal.RunAsync(temp.Combine("rehearsal"), TimeProvider.System, CancellationToken.None);
        }

        // Other tests in this process build too (the source is static): only the rehearsal's repository is looked for.
        spans.ToArray().Where(s => (string?)s.GetTagItem("polyarch.repository") == BuildRehearsal.Repository).ShouldBeEmpty();
    }
}
