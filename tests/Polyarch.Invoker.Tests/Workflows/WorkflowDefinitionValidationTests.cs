using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Testing.Fakes;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Tests.Workflows;

/// <summary>Definitions are read from YAML or JSON and refused at create with every problem named (step and fix).</summary>
public sealed class WorkflowDefinitionValidationTests
{
    /// <summary>The format agreed with the retrain demo (the brief's example, verbatim).</summary>
    private const string Retrain = """
        name: retrain
        results: 127.0.0.1:5000/workflows/retrain
        params: { threshold: 0.9 }
        steps:
          - name: train
            action: retrain-train
            platforms: native
            params: { dataset: "${trigger.digest}", threshold: "${params.threshold}" }
            files: [trigger]
            timeout: 10m
            retries: 1
          - name: test
            action: retrain-test
            needs: [train]
            platforms: all
            params: { model: "${steps.train.artifact}" }
            files: [steps.train/model.pkl]
          - name: decide
            action: retrain-decide
            needs: [test]
            params: { results: "${steps.test.result}", threshold: "${params.threshold}" }
          - name: promote
            needs: [decide]
            if: "${steps.decide.result.promote}"
            tag: { artifact: "${steps.train.artifact}", as: production }
        result: "${steps.decide.result}"
        """;

    private static readonly MemoryActions Actions = new(
        new ActionDefinition { Name = "retrain-train", Image = "127.0.0.1:5000/x/train:1" },
        new ActionDefinition { Name = "retrain-test", Image = "127.0.0.1:5000/x/test:1" },
        new ActionDefinition { Name = "retrain-decide", Image = "127.0.0.1:5000/x/decide:1" });

    [Fact]
    public async Task The_agreed_retrain_definition_reads_from_yaml_with_typed_scalars_and_validates()
    {
        var workflow = WorkflowDefinitionReader.Read(Retrain, null, "retrain.yaml");

        await WorkflowValidator.ValidateAsync(workflow, Actions, CancellationToken.None);
        workflow.Name.ShouldBe("retrain");
        workflow.Params!["threshold"]!.GetValue<double>().ShouldBe(0.9);
        workflow.Steps.Select(s => s.Name).ShouldBe(["train", "test", "decide", "promote"]);
        workflow.Steps[0].Retries.ShouldBe(1);
        workflow.Steps[0].Files.ShouldBe(["trigger"]);
        workflow.Steps[1].Platforms!.GetValue<string>().ShouldBe("all");
        workflow.Steps[3].If.ShouldBe("${steps.decide.result.promote}");
        workflow.Steps[3].Tag!.As.ShouldBe("production");
    }

    [Fact]
    public async Task The_same_definition_as_json_reads_the_same()
    {
        var yaml = WorkflowDefinitionReader.Read(Retrain, null, "retrain.yaml");
        var json = System.Text.Json.JsonSerializer.Serialize(yaml, Json.InvokerJson.Options);

        var read = WorkflowDefinitionReader.Read(json, "retrain2", "retrain.json");

        read.Name.ShouldBe("retrain2");
        read.Steps.Count.ShouldBe(4);
        await WorkflowValidator.ValidateAsync(read, Actions, CancellationToken.None);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { Steps("- { name: a, action: nope }"), "step 'a': action 'nope' does not exist; create it first" },
        { Steps("- { name: a, action: retrain-train, needs: [b] }", "- { name: b, action: retrain-train, needs: [a] }"), "form a cycle through needs" },
        { Steps("- { name: a, action: retrain-train, needs: [ghost] }"), "step 'a' needs unknown step 'ghost'" },
        { Steps("- { name: a, action: retrain-train, params: { x: '${steps.ghost.result}' } }"), "step 'a': ${steps.ghost.result} names unknown step 'ghost'" },
        { Steps("- { name: a, action: retrain-train }", "- { name: b, action: retrain-train, params: { x: '${steps.a.result}' } }"), "step 'b': ${steps.a.result} reads step 'a', which it does not need" },
        { Steps("- { name: a, action: retrain-train, files: [steps.ghost/m.pkl] }"), "file 'steps.ghost/m.pkl' names unknown step 'ghost'" },
        { Steps("- { name: a, action: retrain-train, platforms: all }", "- { name: b, action: retrain-train, needs: [a], files: [steps.a] }"), "runs on several platforms" },
        { Steps("- { name: a, action: retrain-train, platforms: linux/arm64/v99 }"), "step 'a': platform 'linux/arm64/v99' is not a platform" },
        { Steps("- { name: a, action: retrain-train, platforms: [linux/amd64, 'windows/x'] }"), "step 'a': platform 'windows/x'" },
        { Steps("- { name: a, action: retrain-train }", "- { name: a, action: retrain-train }"), "step 'a' is defined twice" },
        { Steps("- { name: a, action: retrain-train, tag: { artifact: '${steps.a.artifact}', as: prod } }"), "step 'a' has both action and tag" },
        { Steps("- { name: a }"), "step 'a' names no action" },
        { Steps("- { name: a, action: retrain-train, timeout: soon }"), "step 'a': timeout 'soon' is not a duration" },
        { Steps("- { name: a, action: retrain-train, retries: 99 }"), "step 'a': retries 99 must be between 0 and 10" },
        { Steps("- { name: 'a.b', action: retrain-train }"), "step 'a.b': a step name must be" },
        { Steps("- { name: a, action: retrain-train, params: { x: '${trigger.nope}' } }"), "step 'a': ${trigger.nope} names no trigger field" },
        { Steps("- { name: a, action: retrain-train, params: { x: '${env.HOME}' } }"), "step 'a': ${env.HOME} is not a reference" },
        { Steps("- { name: a, action: retrain-train, files: [trigger/../../etc/passwd] }"), "is not a plain file name" },
        { "name: w\nresults: 'Not A/Repo'\nsteps:\n- { name: a, action: retrain-train }", "results 'Not A/Repo' is not a repository" },
        { "name: w\nsteps: []", "the workflow has no steps" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task An_invalid_definition_is_refused_naming_the_step_and_the_fix(string yaml, string expected)
    {
        var workflow = WorkflowDefinitionReader.Read(yaml, null, "w.yaml");

        var refused = await Should.ThrowAsync<InvalidWorkflowException>(() => WorkflowValidator.ValidateAsync(workflow, Actions, CancellationToken.None));

        refused.Errors.ShouldContain(e => e.Contains(expected, StringComparison.Ordinal), string.Join(" | ", refused.Errors));
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var workflow = WorkflowDefinitionReader.Read(Steps("- { name: a, action: nope, needs: [ghost], timeout: soon }", "- { name: b, action: retrain-train, platforms: mars/x }"), null, "w.yaml");

        var refused = await Should.ThrowAsync<InvalidWorkflowException>(() => WorkflowValidator.ValidateAsync(workflow, Actions, CancellationToken.None));

        refused.Errors.Count.ShouldBe(4, string.Join(" | ", refused.Errors));
    }

    [Theory]
    [InlineData("name: [unclosed", "neither valid YAML nor JSON")]
    [InlineData("{\"name\": ", "neither valid YAML nor JSON")]
    [InlineData("- just\n- a list", "must hold a mapping")]
    [InlineData("name: w\nsteps: { a: 1 }", "wrong type")]
    public void Text_that_is_not_a_definition_is_refused_naming_the_source(string text, string expected)
    {
        var refused = Should.Throw<InvalidWorkflowException>(() => WorkflowDefinitionReader.Read(text, null, "w.yaml"));

        refused.Errors.Single().ShouldContain(expected);
    }

    [Theory]
    [InlineData("0.9", 0.9)]
    [InlineData("3", 3.0)]
    [InlineData("-2", -2.0)]
    public void Plain_yaml_numbers_are_numbers(string scalar, double expected)
    {
        var workflow = WorkflowDefinitionReader.Read($"name: w\nparams: {{ x: {scalar}, q: '{scalar}', b: true, n: null }}\nsteps: []", null, "w.yaml");

        workflow.Params!["x"]!.GetValue<double>().ShouldBe(expected);
        workflow.Params["q"]!.GetValue<string>().ShouldBe(scalar);
        workflow.Params["b"]!.GetValue<bool>().ShouldBeTrue();
        workflow.Params["n"].ShouldBeNull();
    }

    private static string Steps(params string[] steps) => "name: w\nsteps:\n" + string.Join("\n", steps);
}
