using Polyarch.Invoker.Actions;

namespace Polyarch.Invoker.Core.Tests.Actions;

/// <summary>Data-locality wishes of an action (preferred node labels with weights): parsing and validation.</summary>
public sealed class DataLocalityValidationTests
{
    [Theory]
    [InlineData("topology.kubernetes.io/zone", "zone-a", 80)]
    [InlineData("polyarch.io/dataset", "sales", 1)]
    [InlineData("dataset", "sales_2026.q4", 100)]
    [InlineData("example.com/empty-value", "", 50)]
    public void Kubernetes_label_keys_and_values_with_weights_1_to_100_are_valid(string label, string value, int weight)
    {
        ActionValidator.Validate(Action(new DataLocalityPreference { Label = label, Value = value, Weight = weight })).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("", "v", 50, "label key")]
    [InlineData("bad key", "v", 50, "label key")]
    [InlineData("-zone", "v", 50, "label key")]
    [InlineData("/zone", "v", 50, "label key")]
    [InlineData("Example.COM/zone", "v", 50, "label key")]
    [InlineData("a_b.example.com/zone", "v", 50, "label key")]
    [InlineData("zone-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "v", 50, "label key")]
    [InlineData("zone", "has space", 50, "label value")]
    [InlineData("zone", "-a", 50, "label value")]
    [InlineData("zone", "a=b", 50, "label value")]
    [InlineData("zone", "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv", 50, "label value")]
    [InlineData("zone", "a", 0, "weight 0 is out of range: use 1-100")]
    [InlineData("zone", "a", 101, "weight 101 is out of range")]
    [InlineData("zone", "a", -5, "weight -5 is out of range")]
    public void Invalid_wishes_are_reported_with_the_input_and_what_to_use(string label, string value, int weight, string expected)
    {
        var errors = ActionValidator.Validate(Action(new DataLocalityPreference { Label = label, Value = value, Weight = weight }));

        errors.ShouldHaveSingleItem().ShouldContain(expected);
        errors[0].ShouldStartWith($"Data locality '{label}={value}'");
    }

    [Fact]
    public void Every_problem_is_reported_at_once_including_a_wish_given_twice()
    {
        var errors = ActionValidator.Validate(Action(
            new DataLocalityPreference { Label = "zone", Value = "a", Weight = 10 },
            new DataLocalityPreference { Label = "zone", Value = "a", Weight = 20 },
            new DataLocalityPreference { Label = "bad key", Value = "bad value", Weight = 500 }));

        errors.Count.ShouldBe(4);
        errors.ShouldContain(e => e.Contains("'zone=a' is given twice", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("topology.kubernetes.io/zone=zone-a:80", "topology.kubernetes.io/zone", "zone-a", 80)]
    [InlineData("polyarch.io/dataset=sales", "polyarch.io/dataset", "sales", DataLocalityPreference.DefaultWeight)]
    [InlineData("zone=:10", "zone", "", 10)]
    public void Prefer_node_parses_label_value_and_optional_weight(string text, string label, string value, int weight)
    {
        DataLocalityPreference.Parse(text).ShouldBe(new DataLocalityPreference { Label = label, Value = value, Weight = weight });
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=sales")]
    [InlineData("zone=a:heavy")]
    [InlineData("zone=a:")]
    [InlineData("zone=a:-1")]
    [InlineData("zone=a:99999999999")]
    public void Prefer_node_that_is_not_label_value_weight_says_the_expected_form(string text)
    {
        Should.Throw<FormatException>(() => DataLocalityPreference.Parse(text)).Message.ShouldContain(text);
    }

    private static ActionDefinition Action(params DataLocalityPreference[] wishes) => new()
    {
        Name = "near-data",
        Image = "127.0.0.1:5000/demo/echo:latest",
        Placement = new ActionPlacement { DataLocality = wishes },
    };
}
