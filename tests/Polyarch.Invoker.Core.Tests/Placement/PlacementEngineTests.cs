using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Core.Tests.Placement;

public sealed class PlacementEngineTests
{
    private static readonly BackendInventory Docker = new(
        "docker",
        "node1",
        [new("linux/amd64", false), new("linux/arm64", true), new("linux/ppc64le", true)],
        Gpus: 0,
        MemoryBytes: 8L << 30,
        Cpus: 2);

    private static ImageVariants Image(params (string Platform, Dictionary<string, string>? Labels)[] variants) =>
        new("reg/demo/echo:latest", "reg/demo/echo", "sha256:index",
            [.. variants.Select((v, i) => new VariantInfo(v.Platform, $"sha256:child{i}", v.Labels ?? []))]);

    private static PlacementRequest Request(string? platform = null, ActionPlacement? rules = null, int gpus = 0, int memoryMb = 256) =>
        new(platform, rules ?? new ActionPlacement(), new Requirements(gpus, memoryMb * 1024L * 1024L, 1));

    [Fact]
    public void Place_NoPlatformRequested_PrefersNativeOverEmulated()
    {
        var image = Image(("linux/arm64", null), ("linux/ppc64le", null), ("linux/amd64", null));

        var decision = PlacementEngine.Place(image, Docker, Request());

        decision.Variant.Platform.ShouldBe("linux/amd64");
        decision.Platform.Emulated.ShouldBeFalse();
    }

    [Theory]
    [InlineData("linux/arm64", true)]
    [InlineData("linux/ppc64le", true)]
    [InlineData("linux/amd64", false)]
    public void Place_RequestedPlatform_RecordsEmulation(string platform, bool emulated)
    {
        var image = Image(("linux/amd64", null), ("linux/arm64", null), ("linux/ppc64le", null));

        var decision = PlacementEngine.Place(image, Docker, Request(platform));

        decision.Variant.Platform.ShouldBe(platform);
        decision.Platform.Emulated.ShouldBe(emulated);
    }

    [Theory]
    [InlineData("linux/arm64/v9", "linux/arm64")]
    [InlineData("linux/amd64/v3", "linux/amd64")]
    [InlineData("linux/arm/v7", "linux/arm/v6")]
    public void Place_RequestedVariantTheImageLacks_DoesNotRunAnotherVariantSilently(string requested, string present)
    {
        var image = Image((present, null));
        var inventory = Docker with { Platforms = [new("linux/amd64/v3", false), new("linux/arm64/v9", true), new("linux/arm/v7", true)] };

        var error = Should.Throw<PlacementException>(() => PlacementEngine.Place(image, inventory, Request(requested)));

        error.Message.ShouldContain($"the image has no {requested} variant");
        error.Message.ShouldContain($"{present} is another variant: ask for it by name");
    }

    [Theory]
    [InlineData("linux/arm64/v8", "linux/arm64")]
    [InlineData("linux/arm64", "linux/arm64/v8")]
    [InlineData("linux/amd64/v1", "linux/amd64")]
    [InlineData("linux/arm", "linux/arm/v7")]
    [InlineData("linux/arm64/v9", "linux/arm64/v9")]
    public void Place_RequestedVariant_RunsTheSameVariantHoweverItIsSpelled(string requested, string present)
    {
        var image = Image((present, null));
        var inventory = Docker with { Platforms = [new("linux/amd64", false), new("linux/arm64/v9", true), new("linux/arm/v7", true)] };

        PlacementEngine.Place(image, inventory, Request(requested)).Variant.Platform.ShouldBe(present);
    }

    [Fact]
    public void Place_PlatformTheImageLacks_ListsImageAndBackendPlatforms()
    {
        var image = Image(("linux/amd64", null), ("linux/arm64", null));

        var error = Should.Throw<PlacementException>(() => PlacementEngine.Place(image, Docker, Request("linux/ppc64le")));

        error.Message.ShouldContain("no variant for linux/ppc64le");
        error.Message.ShouldContain("linux/amd64, linux/arm64");
        error.Message.ShouldContain("linux/ppc64le (emulated)");
        error.ImagePlatforms.ShouldBe(["linux/amd64", "linux/arm64"]);
    }

    [Fact]
    public void Place_VariantRequiringGpu_OnMachineWithout_FailsWithTheLabel()
    {
        var image = Image(("linux/amd64", new() { ["io.polyarch.requires.gpu"] = "nvidia" }), ("linux/arm64", null));

        var error = Should.Throw<PlacementException>(() => PlacementEngine.Place(image, Docker, Request("linux/amd64")));

        error.Message.ShouldContain("requires 1 GPU(s) (io.polyarch.requires.gpu=nvidia) but the backend has 0");
    }

    [Fact]
    public void Place_GpuFalse_NeedsNoGpu()
    {
        // gpu=false used to mean one GPU here (any non-number did) and none on Kubernetes.
        var image = Image(("linux/amd64", new() { ["io.polyarch.requires.gpu"] = "false" }));

        var decision = PlacementEngine.Place(image, Docker, Request("linux/amd64"));

        decision.Requirements.Gpus.ShouldBe(0);
    }

    [Fact]
    public void Place_VariantRequiringTpu_OnDocker_IsRefusedWithTheLabel()
    {
        var image = Image(("linux/amd64", new() { ["io.polyarch.requires.tpu"] = "1" }));

        var error = Should.Throw<PlacementException>(() => PlacementEngine.Place(image, Docker, Request("linux/amd64")));

        error.Message.ShouldContain("requires 1 TPU(s) (io.polyarch.requires.tpu=1) but the docker backend has none: TPUs (google.com/tpu) run on Kubernetes nodes only");
    }

    [Fact]
    public void Place_VariantRequiringGpu_FallsBackToAnotherVariantWhenNoPlatformRequested()
    {
        var image = Image(("linux/amd64", new() { ["io.polyarch.requires.gpu"] = "nvidia" }), ("linux/arm64", null));

        var decision = PlacementEngine.Place(image, Docker, Request());

        decision.Variant.Platform.ShouldBe("linux/arm64");
        decision.Platform.Emulated.ShouldBeTrue();
    }

    [Fact]
    public void Place_VariantMemoryLabel_RaisesTheLimit()
    {
        var image = Image(("linux/amd64", new() { ["io.polyarch.requires.memory"] = "1Gi" }));

        var decision = PlacementEngine.Place(image, Docker, Request());

        decision.Requirements.MemoryBytes.ShouldBe(1L << 30);
    }

    [Theory]
    [InlineData("io.polyarch.requires.memory", "64Gi", "requires 64Gi of memory")]
    [InlineData("io.polyarch.requires.cpus", "16", "requires 16 CPUs")]
    [InlineData("io.polyarch.requires.memory", "lots", "is not a size")]
    [InlineData("io.polyarch.requires.cpus", "-1", "is not a CPU count")]
    public void Place_VariantRequirementBeyondTheBackend_Fails(string label, string value, string expected)
    {
        var image = Image(("linux/amd64", new() { [label] = value }));

        var error = Should.Throw<PlacementException>(() => PlacementEngine.Place(image, Docker, Request()));

        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void Place_EmulationNotAllowed_SkipsEmulatedVariants()
    {
        var image = Image(("linux/arm64", null), ("linux/ppc64le", null));

        var error = Should.Throw<PlacementException>(() =>
            PlacementEngine.Place(image, Docker, Request(rules: new ActionPlacement { AllowEmulation = false })));

        error.Failures.Count.ShouldBe(2);
        error.Message.ShouldContain("does not allow emulation");
    }

    [Fact]
    public void Place_PreferredPlatform_WinsOverNative()
    {
        var image = Image(("linux/amd64", null), ("linux/arm64", null));

        var decision = PlacementEngine.Place(image, Docker, Request(rules: new ActionPlacement { Preferred = ["linux/arm64"] }));

        decision.Variant.Platform.ShouldBe("linux/arm64");
    }

    [Fact]
    public void Place_RequiredPlatforms_RestrictTheChoice()
    {
        var image = Image(("linux/amd64", null), ("linux/ppc64le", null));

        var decision = PlacementEngine.Place(image, Docker, Request(rules: new ActionPlacement { Required = ["linux/ppc64le"] }));
        decision.Variant.Platform.ShouldBe("linux/ppc64le");

        Should.Throw<PlacementException>(() =>
            PlacementEngine.Place(image, Docker, Request("linux/amd64", new ActionPlacement { Required = ["linux/ppc64le"] })))
            .Message.ShouldContain("not among the action's required platforms");
    }

    [Fact]
    public void Place_PlatformTheBackendCannotRun_SaysSo()
    {
        var image = Image(("linux/s390x", null));

        var error = Should.Throw<PlacementException>(() => PlacementEngine.Place(image, Docker, Request()));

        error.Message.ShouldContain("linux/s390x: the backend cannot run it");
    }

    [Fact]
    public void Place_ImageWithoutVariants_FailsReadably()
    {
        var error = Should.Throw<PlacementException>(() => PlacementEngine.Place(Image(), Docker, Request()));

        error.Message.ShouldContain("The image has no runnable platforms");
    }

    [Fact]
    public void Place_RequestWithoutVariant_MatchesVariantedImage()
    {
        var inventory = Docker with { Platforms = [.. Docker.Platforms, new("linux/arm/v7", true)] };
        var image = Image(("linux/arm/v7", null));

        PlacementEngine.Place(image, inventory, Request("linux/arm")).Variant.Platform.ShouldBe("linux/arm/v7");
    }
}
