using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Integration;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Builds;

/// <summary>
/// The index is read back as soon as BuildKit reports it pushed, while the bake still runs (EarlyVerifications): buildx is
/// a fake that prints that status and then waits; the registry, the index (pushed by real buildx) and the publisher are real,
/// the publisher wrapped to note when each verification ran.
/// </summary>
[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EarlyVerificationTests(RegistryFixture registry) : IDisposable
{
    private static readonly string[] Platforms = ["linux/amd64", "linux/arm64"];
    private readonly TempDirectory _state = new();
    private readonly TestGitRepository _repository = new();

    [Fact]
    public async Task An_index_reported_pushed_is_verified_while_the_bake_runs_and_not_again_after_it()
    {
        var (store, executor, docker, publisher, staged, harness) = await ArrangeAsync("demo/early", reported: null);
        using var _ = docker;
        using var __ = harness;

        var build = await executor.ExecuteAsync((await store.ClaimNextAsync(CancellationToken.None))!, null, CancellationToken.None);

        build.Status.ShouldBe(BuildStatus.Succeeded, build.Error?.Message);
        docker.Events.ShouldNotContain("not released"); // the bake was let go by the verification, not by its 10 s bound
        var verification = publisher.Verifications.ShouldHaveSingleItem();
        verification.ShouldBe((staged, WhileBaking: true, Failed: false));
        build.Retries.ShouldBeEmpty();
        (await harness.TagDigestAsync("demo/early", "latest")).ShouldBe(build.Images.ShouldHaveSingleItem().IndexDigest);
    }

    [Fact]
    public async Task An_early_verification_that_failed_is_done_again_after_the_bake_and_that_answer_stands()
    {
        var (store, executor, docker, publisher, staged, harness) = await ArrangeAsync("demo/early-failed", reported: null);
        using var _ = docker;
        using var __ = harness;
        publisher.FailNext = true; // as a read that met the registry mid-write would

        var build = await executor.ExecuteAsync((await store.ClaimNextAsync(CancellationToken.None))!, null, CancellationToken.None);

        build.Status.ShouldBe(BuildStatus.Succeeded, build.Error?.Message);
        publisher.Verifications.ShouldBe([(staged, true, true), (staged, false, false)]);
        (await harness.TagDigestAsync("demo/early-failed", "latest")).ShouldBe(build.Images.ShouldHaveSingleItem().IndexDigest);
    }

    [Fact]
    public async Task An_early_verification_of_another_digest_than_bake_then_names_is_not_used()
    {
        // A bake tried again pushes anew: what counts is the digest in the metadata of the bake that succeeded.
        const string Other = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
        var (store, executor, docker, publisher, staged, harness) = await ArrangeAsync("demo/early-other", reported: Other);
        using var _ = docker;
        using var __ = harness;

        var build = await executor.ExecuteAsync((await store.ClaimNextAsync(CancellationToken.None))!, null, CancellationToken.None);

        build.Status.ShouldBe(BuildStatus.Succeeded, build.Error?.Message);
        publisher.Verifications.ShouldBe([(Other, true, true), (staged, false, false)]);
    }

    [Fact]
    public async Task A_bake_that_fails_after_reporting_the_push_moves_no_tag()
    {
        var (store, executor, docker, publisher, staged, harness) = await ArrangeAsync("demo/early-bake-fails", reported: null, exitCode: 1);
        using var _ = docker;
        using var __ = harness;

        var build = await executor.ExecuteAsync((await store.ClaimNextAsync(CancellationToken.None))!, null, CancellationToken.None);

        build.Status.ShouldBe(BuildStatus.Failed);
        publisher.Verifications.ShouldBe([(staged, true, false)]); // verified early, yet nothing follows a failed bake
        (await harness.TagDigestAsync("demo/early-bake-fails", "latest")).ShouldBeNull();
    }

    [Fact]
    public async Task A_failed_early_verification_leaves_no_unobserved_task_failure_behind()
    {
        // Nobody takes a verification of a digest bake does not name: its failure must still be observed, not reported
        // by the finalizer as an unobserved task exception.
        var marker = $"early verification failure {Guid.NewGuid():N}";
        var unobserved = new ConcurrentQueue<Exception>();
        void Record(object? sender, UnobservedTaskExceptionEventArgs e) => unobserved.Enqueue(e.Exception);
        TaskScheduler.UnobservedTaskException += Record;
        try
        {
            await FailOneEarlyVerificationAsync(marker);
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            unobserved.ShouldNotContain(e => e.ToString().Contains(marker, StringComparison.Ordinal));
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= Record;
        }
    }

    // Kept out of the test's frame, so nothing it made stays reachable when the test collects.
    private static async Task FailOneEarlyVerificationAsync(string marker)
    {
        var invocation = new BakeInvocation(
            new Polyarch.Builder.Definition.BuildDefinition([], [new Polyarch.Builder.Definition.BuildTarget("default", "demo/early-unobserved")], false), "127.0.0.1:5000",
            Platforms, "polyarch-build-0123456789abcdef", "file:///x", "0123456789abcdef0123456789abcdef01234567", DateTimeOffset.UnixEpoch,
            "/nonexistent/metadata.json", null);
        const string Digest = "sha256:0000000000000000000000000000000000000000000000000000000000000002";
        var early = new EarlyVerifications(new FailingPublisher(marker), invocation, default, CancellationToken.None);
        early.OnIndexPushed(new PushedIndex(BakeArguments.StagingReference(invocation, invocation.Definition.Targets[0]), Digest));
        (await early.TakeAsync("demo/early-unobserved", Digest)).ShouldBeNull(); // failed: verified again after the bake
        early.Dispose();
    }

    [Fact]
    public void The_pushed_status_is_read_from_buildx_own_stream_once_completed()
    {
        // Captured bakes (Fixtures/rawjson/SOURCE.md): the status appears started, then completed; one index per bake.
        IEnumerable<PushedIndex> Pushed(string fixture)
        {
            var reader = new RawJsonReader();
            foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "rawjson", fixture)))
            {
                if (reader.Feed(line).Document is { } document)
                {
                    using (document)
                    {
                        foreach (var pushed in PushedIndex.In(document.RootElement).ToList())
                        {
                            yield return pushed;
                        }
                    }
                }
            }
        }

        Pushed("three-platform-success.rawjson").ShouldHaveSingleItem().ShouldBe(new PushedIndex(
            "127.0.0.1:5000/scratch/exp:staging-1", "sha256:87ea692b9555a7ff337a13ad6dd43541bb661d7c446f25e997628039b6c9d925"));
        Pushed("cache-export-fails.rawjson").ShouldHaveSingleItem(); // pushed before the cache export failed
        Pushed("arm64-step-fails.rawjson").ShouldBeEmpty();
        PushedIndex.Parse("pushing layers").ShouldBeNull();
        PushedIndex.Parse("pushing manifest for 127.0.0.1:5000/a:b@sha256:short").ShouldBeNull();
        PushedIndex.Parse("pushing manifest for @sha256:0000000000000000000000000000000000000000000000000000000000000001").ShouldBeNull();
    }

    /// <summary>
    /// A queued build of <paramref name="repository"/> whose fake bake reports the index real buildx pushed to the build's
    /// staging tag (or <paramref name="reported"/>) and, once released, names that index in its metadata.
    /// </summary>
    private async Task<(IBuildStore Store, BuildExecutor Executor, FakeDocker Docker, RecordingPublisher Publisher, string Staged, BuildHarness Harness)> ArrangeAsync(
        string repository, string? reported, int exitCode = 0)
    {
        var docker = new FakeDocker("push-early");
        RecordingPublisher? publisher = null;
        var services = BuilderServices.Create(
            _state.Path,
            new Dictionary<string, string?> { ["Builder:DockerPath"] = docker.ExecutablePath, ["Builder:Registry"] = registry.Address },
            services => services.Replace(ServiceDescriptor.Singleton<IImagePublisher>(provider =>
                publisher = new RecordingPublisher(ActivatorUtilities.CreateInstance<RegistryImagePublisher>(provider), docker))));
        _services.Add(services);
        var store = services.GetRequiredService<IBuildStore>();
        var commit = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        var submitted = await store.SubmitAsync(new BuildRequest(_repository.Path, registry.Address, repository, commit, "main", true, Platforms, "test"), null, CancellationToken.None);

        var stagingReference = $"{registry.Address}/{repository}:polyarch-build-{submitted.Build.Id}";
        var context = Polyarch.Testing.Buildx.CreateContext(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\nLABEL io.polyarch.test=early\n" });
        await Polyarch.Testing.Buildx.BuildAndPushAsync(context, stagingReference, Platforms);
        var harness = new BuildHarness(registry.Address);
        var staged = (await harness.TagDigestAsync(repository, $"polyarch-build-{submitted.Build.Id}"))!;
        // The status as buildx 0.13 prints it (Fixtures/rawjson), once completed.
        docker.PushEarly(
            $$$"""{"statuses":[{"id":"pushing manifest for {{{stagingReference}}}@{{{reported ?? staged}}}","vertex":"sha256:84b6d76701d2950edcaf6b1da66d8154f81beb8dc61d0be6962b1d94805efcec","current":0,"timestamp":"2026-12-01T13:28:51.028334855Z","started":"2026-12-01T13:28:50.995497104Z","completed":"2026-12-01T13:28:51.028333638Z"}]}""" + "\n",
            $$$"""{"default":{"containerimage.digest":"{{{staged}}}"}}""",
            exitCode);
        var executor = services.GetRequiredService<BuildExecutor>();
        return (store, executor, docker, publisher!, staged, harness);
    }

    private readonly List<ServiceProvider> _services = [];

    public void Dispose()
    {
        foreach (var services in _services)
        {
            services.Dispose();
        }

        _repository.Dispose();
        _state.Dispose();
    }

    /// <summary>A publisher whose every verification fails with <paramref name="marker"/> in its message.</summary>
    private sealed class FailingPublisher(string marker) : IImagePublisher
    {
        public async Task<VerifiedImage> VerifyAsync(string registry, string repository, string digest, IReadOnlyList<string> platforms, Action<string> onRetry, CancellationToken cancellationToken)
        {
            await Task.Yield();
            throw new DependencyUnavailableException(marker);
        }

        public Task<VerifiedImage> AnnotateAsync(string registry, VerifiedImage image, string stagingTag, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? indexAnnotations = null) =>
            throw new NotSupportedException();

        public Task EnsureReachableAsync(string registry, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string?> FindTagAsync(string registry, string repository, string tag, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task TagAsync(string registry, string repository, string digest, IReadOnlyList<string> tags, Action<string> onRetry, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    /// <summary>The real publisher, noting each verification (its digest, whether the bake was still running, whether it failed); each one lets the fake bake finish.</summary>
    private sealed class RecordingPublisher(IImagePublisher inner, FakeDocker docker) : IImagePublisher
    {
        public ConcurrentQueue<(string Digest, bool WhileBaking, bool Failed)> Verifications { get; } = new();

        /// <summary>The next verification fails as a registry that did not answer would.</summary>
        public bool FailNext { get; set; }

        public async Task<VerifiedImage> VerifyAsync(string registry, string repository, string digest, IReadOnlyList<string> platforms, Action<string> onRetry, CancellationToken cancellationToken)
        {
            var whileBaking = !docker.Events.Contains("bake exiting");
            try
            {
                if (FailNext)
                {
                    FailNext = false;
                    throw new DependencyUnavailableException($"The registry {registry} does not answer (injected).");
                }

                var verified = await inner.VerifyAsync(registry, repository, digest, platforms, onRetry, cancellationToken);
                Verifications.Enqueue((digest, whileBaking, false));
                return verified;
            }
            catch (Exception)
            {
                Verifications.Enqueue((digest, whileBaking, true));
                throw;
            }
            finally
            {
                docker.Release();
            }
        }

        public Task<VerifiedImage> AnnotateAsync(string registry, VerifiedImage image, string stagingTag, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? indexAnnotations = null) =>
            inner.AnnotateAsync(registry, image, stagingTag, cancellationToken, indexAnnotations);

        public Task EnsureReachableAsync(string registry, CancellationToken cancellationToken) => inner.EnsureReachableAsync(registry, cancellationToken);

        public Task<string?> FindTagAsync(string registry, string repository, string tag, CancellationToken cancellationToken) =>
            inner.FindTagAsync(registry, repository, tag, cancellationToken);

        public Task TagAsync(string registry, string repository, string digest, IReadOnlyList<string> tags, Action<string> onRetry, CancellationToken cancellationToken) =>
            inner.TagAsync(registry, repository, digest, tags, onRetry, cancellationToken);
    }
}
