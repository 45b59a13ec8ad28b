using Polyarch.Invoker.Actions;

namespace Polyarch.Invoker.Core.Tests.Actions;

public sealed class ActionValidatorTests
{
    [Fact]
    public void Validate_GoodAction_HasNoErrors() =>
        ActionValidator.Validate(new ActionDefinition { Name = "echo", Image = "127.0.0.1:5000/demo/echo:latest" }).ShouldBeEmpty();

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce()
    {
        var errors = ActionValidator.Validate(new ActionDefinition
        {
            Name = "../etc/passwd",
            Image = "has space",
            MemoryMb = 1,
            TimeoutMs = 10_000_000,
            Cpus = 0,
            Gpus = -1,
            Environment = new Dictionary<string, string> { ["__OW_API_KEY"] = "x", ["1BAD"] = "y" },
            Placement = new ActionPlacement { Preferred = ["amd64"] },
        });

        errors.Count.ShouldBe(9);
    }

    [Theory]
    [InlineData("UPPER/Case", "repository names must be lower case")]
    [InlineData("a..b", "the path component 'a..b'")]
    [InlineData("127.0.0.1:5000/a..b", "the path component 'a..b'")]
    [InlineData("$(id)", "the path component '$(id)'")]
    [InlineData("127.0.0.1:5000/$(id):latest", "the path component '$(id)'")]
    [InlineData("../../etc/passwd", "the registry '..'")]
    [InlineData("127.0.0.1:5000/demo/echo:bad tag", "whitespace")]
    public void Validate_ImageThatCanNeverBePulled_IsRejectedNamingItAndTheFix(string image, string reason)
    {
        var errors = ActionValidator.Validate(new ActionDefinition { Name = "ok", Image = image });

        var error = errors.ShouldHaveSingleItem();
        error.ShouldContain($"'{image}' is not a valid image reference");
        error.ShouldContain(reason);
        error.ShouldContain("e.g. 127.0.0.1:5000/demo/echo:latest");
    }

    [Theory]
    [InlineData("linux/&arm", "only letters, digits")]
    [InlineData("linux/arm64/v99", "'v99' is not a variant of arm64")]
    [InlineData("linux/ppc64le/power9", "ppc64le has no variants")]
    public void Validate_PlatformThatCanNeverRun_IsRejectedNamingItAndTheFix(string platform, string reason)
    {
        var errors = ActionValidator.Validate(new ActionDefinition { Name = "ok", Image = "127.0.0.1:5000/demo/echo:latest", Placement = new ActionPlacement { Required = [platform] } });

        var error = errors.ShouldHaveSingleItem();
        error.ShouldContain($"'{platform}' is not a valid platform");
        error.ShouldContain(reason);
    }
}
