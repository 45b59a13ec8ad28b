using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.DockerEngine.Tests;

public sealed class ContainerSpecFactoryTests
{
    private static ActivationContext Context(ActionProtocol protocol)
    {
        var variant = new VariantInfo("linux/arm64", "sha256:child", new Dictionary<string, string>());
        var image = new ImageVariants("127.0.0.1:5000/demo/echo:latest", "127.0.0.1:5000/demo/echo", "sha256:index", [variant]);
        var action = new ActionDefinition { Name = "echo", Image = image.Image, Environment = new Dictionary<string, string> { ["A"] = "1" } };
        var decision = new PlacementDecision(variant, new BackendPlatform("linux/arm64", true), new Requirements(0, 128L << 20, 0.5));
        return new ActivationContext("0123456789abcdef0123456789abcdef", action, image, decision, protocol, 8080, [], DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public void Create_Http_PinsTheChildDigest_LimitsAndPublishesOnLoopbackOnly()
    {
        var spec = ContainerSpecFactory.Create(Context(ActionProtocol.Http), new DockerBackendOptions { ExtraLabels = { ["io.polyarch.test.run"] = "r1" } }, "inv1", null);

        spec.HostConfig.ShouldNotBeNull();
        spec.Image.ShouldBe("127.0.0.1:5000/demo/echo@sha256:child");
        spec.Platform.ShouldBe("linux/arm64");
        spec.HostConfig.Memory.ShouldBe(128L << 20);
        spec.HostConfig.MemorySwap.ShouldBe(128L << 20);
        spec.HostConfig.CPUQuota.ShouldBe(50_000);
        spec.HostConfig.PidsLimit.ShouldBe(256);
        spec.HostConfig.Ulimits.ShouldContain(u => u.Name == "nofile" && u.Hard == 1024);
        spec.HostConfig.CapDrop.ShouldBe(["NET_RAW", "NET_ADMIN"]);
        spec.HostConfig.Privileged.ShouldBeFalse();
        spec.HostConfig.PortBindings["8080/tcp"].ShouldHaveSingleItem().HostIP.ShouldBe("127.0.0.1");
        spec.Labels["io.polyarch.managed"].ShouldBe("true");
        spec.Labels["io.polyarch.instance"].ShouldBe("inv1");
        spec.Labels["io.polyarch.action"].ShouldBe("echo");
        spec.Labels["io.polyarch.activation"].ShouldBe("0123456789abcdef0123456789abcdef");
        spec.Labels["io.polyarch.test.run"].ShouldBe("r1");
        spec.Env.ShouldContain("A=1");
    }

    [Fact]
    public void Create_Exec_PassesParamsAsLastArgumentAndOpensStdin()
    {
        var spec = ContainerSpecFactory.Create(Context(ActionProtocol.Exec), new DockerBackendOptions(), "inv1", ["{\"x\":1}"]);

        spec.Cmd.ShouldBe(["{\"x\":1}"]);
        spec.OpenStdin.ShouldBeTrue();
        spec.StdinOnce.ShouldBeTrue();
        spec.HostConfig!.PortBindings.ShouldBeNull();
    }
}
