using Polyarch.Invoker.Actions;

namespace Polyarch.Invoker.Tests.Hosting;

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
}
