using System.Text.Json.Nodes;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Tests.Workflows;

public sealed class WorkflowReferencesTests
{
    private static readonly JsonObject Context = JsonNode.Parse("""
        {
          "params": { "threshold": 0.9, "name": "digits" },
          "trigger": { "kind": "artifact", "digest": "sha256:abc" },
          "steps": {
            "train": { "result": { "accuracy": 0.95, "nested": { "ok": true } }, "artifact": "r@sha256:1", "files": ["model.pkl"] },
            "test": { "result": { "linux/amd64": { "acc": 1 }, "linux/arm64": { "acc": 2 } } }
          }
        }
        """)!.AsObject();

    [Theory]
    [InlineData("${params.threshold}", "0.9")]
    [InlineData("${steps.train.result}", "{\"accuracy\":0.95,\"nested\":{\"ok\":true}}")]
    [InlineData("${steps.train.result.nested.ok}", "true")]
    [InlineData("${steps.train.files}", "[\"model.pkl\"]")]
    [InlineData("${steps.test.result}", "{\"linux/amd64\":{\"acc\":1},\"linux/arm64\":{\"acc\":2}}")]
    [InlineData("${ trigger.digest }", "\"sha256:abc\"")]
    [InlineData("${steps.train.result.missing}", "null")]
    public void A_string_that_is_exactly_one_reference_takes_the_values_json_type(string text, string expected) =>
        (WorkflowReferences.Resolve(text, Context)?.ToJsonString() ?? "null").ShouldBe(expected);

    [Theory]
    [InlineData("model of ${params.name} at ${params.threshold}", "model of digits at 0.9")]
    [InlineData("acc=${steps.train.result.accuracy};x=${steps.nope.result}", "acc=0.95;x=")]
    [InlineData("${params.name}${params.name}", "digitsdigits")]
    [InlineData("no reference", "no reference")]
    public void Otherwise_references_are_interpolated_as_text(string text, string expected) =>
        WorkflowReferences.Resolve(text, Context)!.GetValue<string>().ShouldBe(expected);

    [Fact]
    public void References_inside_objects_and_arrays_resolve_too()
    {
        var resolved = WorkflowReferences.Resolve(JsonNode.Parse("""{"a": ["${params.threshold}", {"b": "${steps.train.artifact}"}], "c": 1}"""), Context);

        resolved!.ToJsonString().ShouldBe("""{"a":[0.9,{"b":"r@sha256:1"}],"c":1}""");
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("null", false)]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("\"\"", false)]
    [InlineData("\"false\"", false)]
    [InlineData("\"yes\"", true)]
    [InlineData("{}", true)]
    public void Truthiness_of_if(string json, bool truthy) =>
        WorkflowReferences.IsTruthy(JsonNode.Parse(json)).ShouldBe(truthy);
}
