using System.Text.Json.Nodes;

namespace Polyarch.Host.Tests.Deploy;

/// <summary>
/// Every object `kubectl kustomize` renders from invoker/deploy and builder/deploy (alone and with their postgres
/// component) is valid against the official Kubernetes OpenAPI schema, unknown fields refused as the API server does.
/// </summary>
public sealed class OpenApiSchemaTests
{
    public static TheoryData<string, string?> Renders => new()
    {
        { "invoker", null },
        { "builder", null },
        { "invoker", "postgres" },
        { "builder", "postgres" },
    };

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Every_rendered_object_is_valid_against_the_official_Kubernetes_schema(string component, string? with)
    {
        var yaml = with is null ? await Kustomize.RenderAsync(component) : await Kustomize.RenderWithComponentAsync(component, with);
        var objects = YamlToJson.Documents(yaml);

        var problems = KubernetesOpenApi.Validate(yaml);

        problems.ShouldBeEmpty($"kubectl kustomize {component}/deploy{(with is null ? "" : " + " + with)}:\n{string.Join("\n", problems)}");
        objects.Select(o => o["kind"]!.GetValue<string>()).ShouldContain("Deployment");
        objects.Count.ShouldBe(Kustomize.Load(yaml).Count, "the schema saw every object the typed load sees");
    }

    [Fact]
    public async Task The_invokers_pod_template_is_a_valid_Pod()
    {
        var configMap = YamlToJson.Documents(await Kustomize.RenderAsync("invoker"))
            .Single(o => o["kind"]!.GetValue<string>() == "ConfigMap" && o["data"]?["pod-template.yaml"] is not null);

        var problems = KubernetesOpenApi.Validate(configMap["data"]!["pod-template.yaml"]!.GetValue<string>());

        problems.ShouldBeEmpty(string.Join("\n", problems));
    }

    [Theory]
    [InlineData("  replicas: \"two\"\n", "Deployment polyarch/x (apps/v1): /spec/replicas")]
    [InlineData("  replica: 2\n", "Deployment polyarch/x (apps/v1): /spec/replica: unknown field")]
    [InlineData("  revisionHistoryLimit: true\n", "Deployment polyarch/x (apps/v1): /spec/revisionHistoryLimit")]
    public void A_broken_Deployment_is_refused_with_its_kind_and_field(string specLine, string expected)
    {
        var problems = KubernetesOpenApi.Validate(Deployment(specLine));

        problems.ShouldContain(p => p.StartsWith(expected, StringComparison.Ordinal), string.Join("\n", problems));
    }

    [Fact]
    public void The_valid_Deployment_the_broken_ones_start_from_passes()
    {
        var problems = KubernetesOpenApi.Validate(Deployment(""));

        problems.ShouldBeEmpty(string.Join("\n", problems));
    }

    [Theory]
    [InlineData("readinesProbe: { httpGet: { path: /readyz, port: 1 } }", "/spec/template/spec/containers/0/readinesProbe: unknown field")]
    [InlineData("ports: [{ containerPort: \"http\" }]", "/spec/template/spec/containers/0/ports/0/containerPort")]
    [InlineData("resources: { requests: { cpu: [1] } }", "/spec/template/spec/containers/0/resources/requests/cpu")]
    public void A_broken_container_is_refused_with_the_field(string containerLine, string expected)
    {
        var problems = KubernetesOpenApi.Validate(Deployment("", containerLine));

        problems.ShouldContain(p => p.Contains(expected, StringComparison.Ordinal), string.Join("\n", problems));
    }

    [Fact]
    public void A_missing_required_field_is_refused()
    {
        // A container needs a name.
        var problems = KubernetesOpenApi.Validate(Deployment("").Replace("- name: x\n", "- ", StringComparison.Ordinal));

        problems.ShouldContain(p => p.StartsWith("Deployment polyarch/x (apps/v1): /spec/template/spec/containers/0", StringComparison.Ordinal), string.Join("\n", problems));
    }

    [Fact]
    public void A_kind_the_kept_schema_does_not_describe_is_refused_not_skipped()
    {
        var problems = KubernetesOpenApi.Validate("apiVersion: batch/v1\nkind: Job\nmetadata: { name: j }\n");

        problems.ShouldHaveSingleItem().ShouldContain("Job j: the kept Kubernetes OpenAPI schema has no definition for apiVersion batch/v1 kind Job");
    }

    [Fact]
    public void Each_object_is_named_by_kind_in_the_message()
    {
        var problems = KubernetesOpenApi.Validate("""
            apiVersion: v1
            kind: Service
            metadata: { name: s, namespace: polyarch }
            spec: { ports: [{ port: 80 }], selectr: { a: b } }
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: { name: r, namespace: polyarch }
            rules: [{ verbs: get }]
            """);

        problems.ShouldContain(p => p.StartsWith("Service polyarch/s (v1): /spec/selectr: unknown field", StringComparison.Ordinal), string.Join("\n", problems));
        problems.ShouldContain(p => p.StartsWith("Role polyarch/r (rbac.authorization.k8s.io/v1): /rules/0/verbs", StringComparison.Ordinal), string.Join("\n", problems));
    }

    [Fact]
    public void The_kept_schema_describes_every_kind_the_typed_load_knows()
    {
        Kustomize.Kinds.Keys.ShouldBeSubsetOf(KubernetesOpenApi.Kinds);
        KubernetesOpenApi.Kinds.ShouldContain("v1/Pod");
        KubernetesOpenApi.Kinds.ShouldContain("v1/Secret");
    }

    private static string Deployment(string specLine, string containerLine = "") => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: x, namespace: polyarch }
        spec:
        {{specLine}}  selector: { matchLabels: { a: b } }
          template:
            metadata: { labels: { a: b } }
            spec:
              containers:
                - name: x
                  image: x
        {{(containerLine.Length == 0 ? "" : "          " + containerLine)}}
        """;
}
