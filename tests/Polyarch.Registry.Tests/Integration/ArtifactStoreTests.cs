using System.Security.Cryptography;
using System.Text;
using Polyarch.Registry.Artifacts;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;
using Polyarch.Registry.Tests.Oci;
using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Integration;

/// <summary>OCI 1.1 artifacts pushed to and pulled from a real distribution 2.8.2, read back with skopeo and checked against the image-spec schemas.</summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ArtifactStoreTests(RegistryFixture fixture) : IDisposable
{
    private const string ResultType = "application/vnd.polyarch.step-result.v1+json";
    private const string DatasetType = "application/vnd.polyarch.dataset.v1";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("polyarch-artifact-test-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Push_ThenPull_FilesAreByteIdentical_ManifestIsAValidOci11Artifact_ThatSkopeoReads()
    {
        using var services = new RegistryServices();
        var model = WriteRandomFile("model.pkl", 3 * 1024 * 1024 + 17);
        var report = WriteFile("report.json", """{"accuracy":0.9533}"""u8.ToArray());
        var target = ImageReference.Parse($"{fixture.Address}/it/results:run-1-train-amd64");

        var pushed = await services.Artifacts.PushAsync(target, new ArtifactSpec
        {
            ArtifactType = ResultType,
            Files = [ArtifactFile.FromFile(model), ArtifactFile.FromFile(report) with { MediaType = "application/json" }],
            Annotations = new Dictionary<string, string> { ["io.polyarch.workflow"] = "retrain", ["io.polyarch.step"] = "train" },
        });
        var pulled = await services.Artifacts.PullAsync(target, Path.Combine(_work.FullName, "out"));

        var raw = await SkopeoRawAsync(target);
        Digest.Compute(raw).ShouldBe(pushed.Digest);
        OciSchemaValidator.ValidateManifest(raw).ShouldBeEmpty();
        var manifest = ManifestDocument.Parse(raw, null, target.ToString()).Manifest!;
        manifest.MediaType.ShouldBe(MediaTypes.OciManifest);
        manifest.ArtifactType.ShouldBe(ResultType);
        manifest.Config.MediaType.ShouldBe(MediaTypes.OciEmpty);
        manifest.Config.Data.ShouldBe("e30=");
        manifest.Config.Digest.ShouldBe(Digest.Compute("{}"u8));
        manifest.Config.Size.ShouldBe(2);
        manifest.Layers.Select(l => (l.Title, l.MediaType, l.Digest, l.Size)).ShouldBe(
        [
            ("model.pkl", "application/octet-stream", FileDigest(model), new FileInfo(model).Length),
            ("report.json", "application/json", FileDigest(report), new FileInfo(report).Length),
        ]);
        manifest.Annotations!["io.polyarch.step"].ShouldBe("train");
        manifest.Subject.ShouldBeNull();
        pulled.Select(f => f.Title).ShouldBe(["model.pkl", "report.json"]);
        foreach (var file in pulled)
        {
            File.ReadAllBytes(file.Path).ShouldBe(File.ReadAllBytes(Path.Combine(_work.FullName, file.Title)));
            file.Digest.ShouldBe(FileDigest(file.Path));
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(file.Path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        Directory.GetFiles(Path.Combine(_work.FullName, "out")).Length.ShouldBe(2, "no partial files are left");
    }

    [Fact]
    public async Task PushUntagged_IsReachableByDigest_AndAddsNoTag()
    {
        using var services = new RegistryServices();
        var repository = ImageReference.Parse($"{fixture.Address}/it/untagged:unused");

        var pushed = await services.Artifacts.PushUntaggedAsync(repository, new ArtifactSpec
        {
            ArtifactType = ResultType,
            Files = [ArtifactFile.FromBytes("result.json", """{"ok":true}"""u8.ToArray())],
        });

        pushed.Reference.Tag.ShouldBeNull();
        var read = (await services.Artifacts.GetAsync(pushed.Reference)).ShouldNotBeNull();
        read.ArtifactType.ShouldBe(ResultType);
        read.Files.ShouldHaveSingleItem().Title.ShouldBe("result.json");
        ((await services.Client.ListTagsAsync(repository)) ?? []).ShouldBeEmpty();
        OciSchemaValidator.ValidateManifest(await SkopeoRawAsync(pushed.Reference)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Push_WithSubject_MaintainsTheReferrersTagSchemaIndex_BecauseDistribution28HasNoReferrersApi()
    {
        using var services = new RegistryServices();
        var dataset = await PushDatasetAsync(services, "it/lineage", "batch-1");

        var result = await services.Artifacts.PushAsync(ImageReference.Parse($"{fixture.Address}/it/lineage:run-1-train-amd64"), new ArtifactSpec
        {
            ArtifactType = ResultType,
            Files = [ArtifactFile.FromBytes("model.pkl", RandomNumberGenerator.GetBytes(4096))],
            Annotations = new Dictionary<string, string> { ["io.polyarch.run"] = "1", ["io.polyarch.platform"] = "linux/amd64" },
            Subject = dataset.Reference,
        });

        (await services.Client.GetReferrersAsync(dataset.Reference, dataset.Digest)).ShouldBeNull("distribution 2.8.2 answers the referrers API with 404");
        var tag = dataset.Reference.WithTag("sha256-" + dataset.Digest.Hex);
        result.ReferrersTag.ShouldBe(tag);
        var raw = await SkopeoRawAsync(tag);
        Digest.Compute(raw).ShouldBe(result.ReferrersIndexDigest);
        OciSchemaValidator.ValidateIndex(raw).ShouldBeEmpty();
        var index = ManifestDocument.Parse(raw, null, tag.ToString());
        index.MediaType.ShouldBe(MediaTypes.OciIndex);
        var entry = index.Index!.Manifests.ShouldHaveSingleItem();
        entry.MediaType.ShouldBe(MediaTypes.OciManifest);
        entry.Digest.ShouldBe(result.Digest);
        entry.Size.ShouldBe((await SkopeoRawAsync(result.Reference)).Length);
        entry.ArtifactType.ShouldBe(ResultType);
        entry.Annotations.ShouldNotBeNull().ShouldBe(new Dictionary<string, string> { ["io.polyarch.run"] = "1", ["io.polyarch.platform"] = "linux/amd64" });
        var written = ManifestDocument.Parse(await SkopeoRawAsync(result.Reference), null, "result").Manifest!;
        written.Subject.ShouldNotBeNull().Digest.ShouldBe(dataset.Digest);
        written.Subject!.MediaType.ShouldBe(MediaTypes.OciManifest);
        written.Subject.Size.ShouldBe((await SkopeoRawAsync(dataset.Reference)).Length);
        OciSchemaValidator.ValidateManifest(await SkopeoRawAsync(result.Reference)).ShouldBeEmpty();
    }

    [Fact]
    public async Task TwoReferrersOfOneSubject_AreBothListed_AndTheArtifactTypeFilterKeepsOne_PushingOneAgainAddsNoDuplicate()
    {
        using var services = new RegistryServices();
        var dataset = await PushDatasetAsync(services, "it/referrers", "batch-1");
        var model = await services.Artifacts.PushAsync(ImageReference.Parse($"{fixture.Address}/it/referrers:model"), new ArtifactSpec
        {
            ArtifactType = ResultType,
            Files = [ArtifactFile.FromBytes("model.pkl", RandomNumberGenerator.GetBytes(100))],
            Subject = dataset.Reference,
        });
        var report = await services.Artifacts.PushAsync(ImageReference.Parse($"{fixture.Address}/it/referrers:report"), new ArtifactSpec
        {
            ArtifactType = "application/vnd.polyarch.report.v1+json",
            Files = [ArtifactFile.FromBytes("report.json", "{}"u8.ToArray())],
            Subject = dataset.Reference.WithDigest(dataset.Digest),
        });
        await services.Artifacts.PushAsync(ImageReference.Parse($"{fixture.Address}/it/referrers:model-again"), new ArtifactSpec
        {
            ArtifactType = ResultType,
            Files = [ArtifactFile.FromBytes("model.pkl", (await PullBytesAsync(services, model.Reference, "model.pkl")))],
            Subject = dataset.Reference,
        });

        using var fresh = new RegistryServices();
        var all = await fresh.Artifacts.ListReferrersAsync(dataset.Reference);
        var models = await fresh.Artifacts.ListReferrersAsync(dataset.Reference, ResultType);
        var none = await fresh.Artifacts.ListReferrersAsync(dataset.Reference, "application/vnd.example.nothing");

        all.Select(d => d.Digest).ShouldBe([model.Digest, report.Digest]);
        models.ShouldHaveSingleItem().Digest.ShouldBe(model.Digest);
        none.ShouldBeEmpty();
        (await fresh.Artifacts.ListReferrersAsync(model.Reference)).ShouldBeEmpty("a manifest without referrers has no referrers tag");
    }

    [Fact]
    public async Task ConcurrentPushesWithOneSubject_AllEndUpListed()
    {
        using var services = new RegistryServices();
        var dataset = await PushDatasetAsync(services, "it/fanout", "batch-1");
        string[] platforms = ["amd64", "arm64", "ppc64le", "s390x", "riscv64", "386"];

        var pushed = await Task.WhenAll(platforms.Select(p => services.Artifacts.PushAsync(
            ImageReference.Parse($"{fixture.Address}/it/fanout:run-1-test-{p}"),
            new ArtifactSpec { ArtifactType = ResultType, Files = [ArtifactFile.FromBytes("result.json", Encoding.UTF8.GetBytes($$"""{"arch":"{{p}}"}"""))], Subject = dataset.Reference })));

        using var fresh = new RegistryServices();
        var listed = await fresh.Artifacts.ListReferrersAsync(dataset.Reference, ResultType);
        listed.Select(d => d.Digest.ToString()).Order(StringComparer.Ordinal).ShouldBe(pushed.Select(p => p.Digest.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ConcurrentPushesFromSeparateClients_WithoutASharedLock_AllEndUpListed()
    {
        // Separate service providers share no in-process lock, as separate invokers would not: only the tag checks protect the index.
        using var services = new RegistryServices();
        var dataset = await PushDatasetAsync(services, "it/fanout-apart", "batch-1");
        var clients = Enumerable.Range(0, 4).Select(_ => new RegistryServices()).ToList();
        try
        {
            var pushed = await Task.WhenAll(clients.Select((client, i) => client.Artifacts.PushAsync(
                ImageReference.Parse($"{fixture.Address}/it/fanout-apart:run-1-test-{i}"),
                new ArtifactSpec { ArtifactType = ResultType, Files = [ArtifactFile.FromBytes("result.json", Encoding.UTF8.GetBytes($$"""{"client":{{i}}}"""))], Subject = dataset.Reference })));

            var listed = await services.Artifacts.ListReferrersAsync(dataset.Reference, ResultType);
            listed.Select(d => d.Digest.ToString()).Order(StringComparer.Ordinal).ShouldBe(pushed.Select(p => p.Digest.ToString()).Order(StringComparer.Ordinal));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Push_WhenTheReferrersTagHoldsSomethingElse_FailsNamingTheTag_AndReadingListsNothing()
    {
        using var services = new RegistryServices();
        var dataset = await PushDatasetAsync(services, "it/squatted", "batch-1");
        var squatter = await services.Artifacts.PushAsync(dataset.Reference.WithTag("sha256-" + dataset.Digest.Hex), new ArtifactSpec
        {
            ArtifactType = "application/vnd.example.squatter",
            Files = [ArtifactFile.FromBytes("x", new byte[] { 1 })],
        });

        var exception = await Should.ThrowAsync<ReferrersUpdateException>(() => services.Artifacts.PushAsync(
            ImageReference.Parse($"{fixture.Address}/it/squatted:result"),
            new ArtifactSpec { ArtifactType = ResultType, Files = [ArtifactFile.FromBytes("r", new byte[] { 2 })], Subject = dataset.Reference }));

        exception.Message.ShouldContain($"sha256-{dataset.Digest.Hex}");
        exception.Message.ShouldContain("not an OCI image index");
        squatter.ReferrersTag.ShouldBeNull();
        (await services.Artifacts.ListReferrersAsync(dataset.Reference)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Pull_LayerOverTheSizeCap_IsRefusedClearly_NothingWritten()
    {
        using var services = new RegistryServices();
        var target = ImageReference.Parse($"{fixture.Address}/it/capped:big");
        await services.Artifacts.PushAsync(target, new ArtifactSpec { ArtifactType = ResultType, Files = [ArtifactFile.FromBytes("big.bin", RandomNumberGenerator.GetBytes(2 * 1024 * 1024))] });
        var output = Path.Combine(_work.FullName, "capped");

        var exception = await Should.ThrowAsync<InvalidArtifactException>(() =>
            services.Artifacts.PullAsync(target, output, new ArtifactPullOptions { MaxFileBytes = 1024 * 1024 }));

        exception.Message.ShouldContain("'big.bin' is 2097152 bytes, more than the cap of 1048576 (ArtifactPullOptions.MaxFileBytes)");
        exception.Message.ShouldContain("nothing was written");
        Directory.Exists(output).ShouldBeFalse();
    }

    [Fact]
    public async Task Pull_LayerWhoseDescriptorUnderstatesItsSize_StopsAtTheCapWhileReading_AndLeavesNoFile()
    {
        using var services = new RegistryServices();
        var repository = ImageReference.Parse($"{fixture.Address}/it/lying:x");
        var blob = RandomNumberGenerator.GetBytes(2 * 1024 * 1024);
        var digest = Digest.Compute(blob);
        await services.Client.PushBlobAsync(repository, digest, blob);
        await services.Client.PushBlobAsync(repository, Digest.Compute("{}"u8), "{}"u8.ToArray());
        var lying = ManifestWith(new Descriptor { MediaType = "application/octet-stream", Digest = digest, Size = 10, Annotations = Title("small.bin") });
        await services.Client.PutManifestAsync(repository, lying, MediaTypes.OciManifest);
        var output = Path.Combine(_work.FullName, "lying");
        using var sink = new MemoryStream();

        var pull = await Should.ThrowAsync<Polyarch.Registry.Client.ContentTooLargeException>(() =>
            services.Artifacts.PullAsync(repository, output, new ArtifactPullOptions { MaxFileBytes = 1024 * 1024 }));
        var stream = await Should.ThrowAsync<Polyarch.Registry.Client.ContentTooLargeException>(() =>
            services.Client.PullBlobAsync(repository, digest, sink, 1024 * 1024));

        pull.Message.ShouldContain("larger than 1048576 bytes");
        pull.Message.ShouldContain("Raise the size cap");
        stream.Limit.ShouldBe(1024 * 1024);
        Directory.GetFiles(output).ShouldBeEmpty("the partial file is deleted");
    }

    [Fact]
    public async Task Pull_TitleWithAPathSeparatorOrDotDot_IsRefusedBeforeAnythingIsWritten()
    {
        using var services = new RegistryServices();
        var repository = ImageReference.Parse($"{fixture.Address}/it/hostile:x");
        var good = "fine"u8.ToArray();
        var evil = "evil"u8.ToArray();
        await services.Client.PushBlobAsync(repository, Digest.Compute(good), good);
        await services.Client.PushBlobAsync(repository, Digest.Compute(evil), evil);
        await services.Client.PushBlobAsync(repository, Digest.Compute("{}"u8), "{}"u8.ToArray());
        var hostile = ManifestWith(
            new Descriptor { MediaType = "text/plain", Digest = Digest.Compute(good), Size = good.Length, Annotations = Title("fine.txt") },
            new Descriptor { MediaType = "text/plain", Digest = Digest.Compute(evil), Size = evil.Length, Annotations = Title("../evil.txt") },
            new Descriptor { MediaType = "text/plain", Digest = Digest.Compute(evil), Size = evil.Length, Annotations = Title("sub/evil.txt") });
        await services.Client.PutManifestAsync(repository, hostile, MediaTypes.OciManifest);
        var output = Path.Combine(_work.FullName, "hostile", "out");

        var exception = await Should.ThrowAsync<InvalidArtifactException>(() => services.Artifacts.PullAsync(repository, output));

        exception.Message.ShouldContain("'../evil.txt' holds a path separator");
        exception.Message.ShouldContain("'sub/evil.txt' holds a path separator");
        File.Exists(Path.Combine(_work.FullName, "hostile", "evil.txt")).ShouldBeFalse();
        Directory.Exists(output).ShouldBeFalse();
    }

    [Fact]
    public async Task PushBlob_FromAStream_AsksHeadFirst_AndSkipsABlobThatIsThere()
    {
        using var services = new RegistryServices();
        var repository = ImageReference.Parse($"{fixture.Address}/it/blobs:x");
        var content = RandomNumberGenerator.GetBytes(512 * 1024);
        var digest = Digest.Compute(content);
        var uploaded = false;
        var again = true;

        var first = await AccessLog.MeasureAsync(fixture.Registry, async () => uploaded = await services.Client.PushBlobAsync(repository, digest, content.Length, new MemoryStream(content)));
        var second = await AccessLog.MeasureAsync(fixture.Registry, async () => again = await services.Client.PushBlobAsync(repository, digest, content.Length, new MemoryStream(content)));
        using var back = new MemoryStream();
        var found = await services.Client.PullBlobAsync(repository, digest, back, content.Length);

        uploaded.ShouldBeTrue();
        first.Select(r => r.Split(' ')[0]).ShouldBe(["HEAD", "POST", "PUT"]);
        first[2].ShouldContain($"digest={Uri.EscapeDataString(digest.ToString())}");
        again.ShouldBeFalse();
        second.ShouldBe([$"HEAD /v2/it/blobs/blobs/{digest}"]);
        found.ShouldBeTrue();
        back.ToArray().ShouldBe(content);
        (await services.Client.PullBlobAsync(repository, Digest.Compute([9, 9]), new MemoryStream(), 10)).ShouldBeFalse();
    }

    [Fact]
    public async Task PushBlob_BytesThatDoNotMatchTheDigest_AreRefusedByTheRegistry()
    {
        using var services = new RegistryServices();
        var repository = ImageReference.Parse($"{fixture.Address}/it/blobs:y");
        var content = RandomNumberGenerator.GetBytes(1024);

        var exception = await Should.ThrowAsync<Polyarch.Registry.Client.RegistryRequestException>(() =>
            services.Client.PushBlobAsync(repository, Digest.Compute([1, 2, 3]), content.Length, new MemoryStream(content)));

        exception.RegistryError.ShouldNotBeNull().ShouldContain("DIGEST_INVALID");
        (await services.Client.BlobExistsAsync(repository, Digest.Compute([1, 2, 3]))).ShouldBeFalse();
    }

    [Fact]
    public async Task DescribePush_TheRealArtifactBurst_OnlyTheDatasetPushIsOfTheDatasetType_AndTheResultNamesItsSubject()
    {
        using var services = new RegistryServices();
        var repository = ImageReference.Parse($"{fixture.Address}/demo/digits:batch-1");
        var fixtures = Path.Combine(FixturePaths.ArtifactNotifications, "manifests");
        var datasetManifest = File.ReadAllBytes(Path.Combine(fixtures, "dataset-manifest.json"));
        var resultManifest = File.ReadAllBytes(Path.Combine(fixtures, "step-result-manifest.json"));
        // The exact manifests the captured events name: push them (and their blobs) to this test's registry.
        foreach (var blob in new[] { "{}"u8.ToArray(), "pixel0,pixel1,label\n0,16,3\n"u8.ToArray(), "not really a pickled model"u8.ToArray() })
        {
            await services.Client.PushBlobAsync(repository, Digest.Compute(blob), blob);
        }

        await services.Client.PutManifestAsync(repository, datasetManifest, MediaTypes.OciManifest);
        await services.Client.PutManifestAsync(repository.WithTag("run-1-train-amd64"), resultManifest, MediaTypes.OciManifest);
        var pushes = Polyarch.Registry.Notifications.PushReducer.ReduceArtifacts(Notifications.ArtifactPushReducerTests.Burst())
            .Select(p => p with { Registry = fixture.Address }).ToList();

        var described = new List<Polyarch.Registry.Notifications.ArtifactPush>();
        foreach (var push in pushes)
        {
            described.Add(await services.Artifacts.DescribePushAsync(push));
        }

        described.Where(p => p.ArtifactType == DatasetType).ShouldHaveSingleItem().Tag.ShouldBe("batch-1");
        var result = described.Single(p => p.ArtifactType == ResultType);
        result.Described.ShouldBeTrue();
        result.Subject.ShouldNotBeNull().Digest.ShouldBe(Digest.Compute(datasetManifest));
        described.Single(p => p.Tag == "batch-1").Subject.ShouldBeNull();
    }

    private async Task<PushedArtifact> PushDatasetAsync(RegistryServices services, string repository, string tag) =>
        await services.Artifacts.PushAsync(ImageReference.Parse($"{fixture.Address}/{repository}:{tag}"), new ArtifactSpec
        {
            ArtifactType = DatasetType,
            Files = [ArtifactFile.FromBytes($"{tag}.csv", Encoding.UTF8.GetBytes($"pixel0,label\n{Guid.NewGuid():N},3\n")) with { MediaType = "text/csv" }],
        });

    private async Task<byte[]> PullBytesAsync(RegistryServices services, ImageReference reference, string title)
    {
        var directory = Path.Combine(_work.FullName, Guid.NewGuid().ToString("N"));
        var files = await services.Artifacts.PullAsync(reference, directory);
        return File.ReadAllBytes(files.Single(f => f.Title == title).Path);
    }

    // skopeo refuses a reference with both tag and digest: the digest alone, when there is one.
    private static async Task<byte[]> SkopeoRawAsync(ImageReference reference) =>
        Encoding.UTF8.GetBytes((await Tools.SkopeoAsync(
            "inspect", "--raw", "--tls-verify=false",
            $"docker://{(reference.Digest is { } digest ? $"{reference.RepositoryName}@{digest}" : reference.ToString())}")).StandardOutput);

    private static byte[] ManifestWith(params Descriptor[] layers) => ManifestSerializer.Serialize(new ImageManifest
    {
        MediaType = MediaTypes.OciManifest,
        ArtifactType = ResultType,
        Config = new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = Digest.Compute("{}"u8), Size = 2, Data = "e30=" },
        Layers = layers,
    });

    private static Dictionary<string, string> Title(string title) => new() { [Annotations.Title] = title };

    private string WriteRandomFile(string name, int size) => WriteFile(name, RandomNumberGenerator.GetBytes(size));

    private string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(_work.FullName, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static Digest FileDigest(string path) => Digest.Compute(File.ReadAllBytes(path));
}
