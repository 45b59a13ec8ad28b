using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Polyarch.Invoker.Fitness;

namespace Polyarch.Invoker.Kubernetes.Tests.Deploy;

/// <summary>
/// The environment invoker/deploy/deployment.yaml gives the container passes the invoker's own start-up validation:
/// it listens beyond loopback, so Service:AllowRemote and Service:RequireApiKey must be on and the key must come from
/// the Secret — the old manifest (0.0.0.0 without them) was refused at start-up.
/// </summary>
public sealed class DeploymentStartUpTests
{
    private static readonly string DeploymentFile = Path.Combine(DeployPaths.Invoker, "deployment.yaml");

    [Fact]
    public void The_deployment_env_and_args_pass_the_service_options_validator()
    {
        var (urls, configuration) = Environment(Container());

        var result = new ServiceOptionsValidator(urls).Validate(null, Bind<ServiceOptions>(configuration, ServiceOptions.SectionName));

        urls.ShouldBe("http://0.0.0.0:5090", "the pod network, not loopback");
        result.Succeeded.ShouldBeTrue(result.FailureMessage);
    }

    [Theory]
    [InlineData("POLYARCH_Service__AllowRemote")]
    [InlineData("POLYARCH_Service__RequireApiKey")]
    public void Without_either_setting_the_same_deployment_is_refused(string removed)
    {
        var container = Container();
        container.Env = container.Env.Where(e => e.Name != removed).ToList();
        var (urls, configuration) = Environment(container);

        var result = new ServiceOptionsValidator(urls).Validate(null, Bind<ServiceOptions>(configuration, ServiceOptions.SectionName));

        result.Failed.ShouldBeTrue();
    }

    [Fact]
    public void The_api_key_and_webhook_token_come_from_the_secret_and_the_owner_from_the_downward_api()
    {
        var env = Container().Env.ToDictionary(e => e.Name);

        env["POLYARCH_Service__ApiKey"].ValueFrom.SecretKeyRef.ShouldSatisfyAllConditions(
            r => r.Name.ShouldBe("polyarch-invoker"), r => r.Key.ShouldBe("api-key"), r => r.Optional.ShouldNotBe(true));
        env["POLYARCH_Triggers__WebhookToken"].ValueFrom.SecretKeyRef.Key.ShouldBe("registry-webhook-token");
        env["POLYARCH_Store__ConnectionString"].ValueFrom.SecretKeyRef.ShouldSatisfyAllConditions(
            r => r.Key.ShouldBe("database-url"), r => r.Optional.ShouldBe(true));
        env["POLYARCH_Kubernetes__OwnerPodName"].ValueFrom.FieldRef.FieldPath.ShouldBe("metadata.name");
        env["POLYARCH_Kubernetes__OwnerPodUid"].ValueFrom.FieldRef.FieldPath.ShouldBe("metadata.uid");
        var (_, configuration) = Environment(Container());
        var kubernetes = Bind<KubernetesBackendOptions>(configuration, KubernetesBackendOptions.Section);
        kubernetes.OwnerPodName.ShouldBe("field:metadata.name");
        kubernetes.OwnerPodUid.ShouldBe("field:metadata.uid");
    }

    [Fact]
    public void The_postgres_component_selects_the_shared_store_with_the_secrets_connection_string_and_two_replicas()
    {
        var patch = KubernetesYaml.Deserialize<V1Deployment>(File.ReadAllText(Path.Combine(DeployPaths.Invoker, "postgres", "deployment.yaml")), strict: true);
        var container = Container();
        var overrides = patch.Spec.Template.Spec.Containers.Single(c => c.Name == "invoker").Env;
        container.Env = [.. container.Env.Where(e => overrides.All(o => o.Name != e.Name)), .. overrides];
        var (_, configuration) = Environment(container);

        var store = Bind<Polyarch.Invoker.State.StoreOptions>(configuration, Polyarch.Invoker.State.StoreOptions.SectionName);
        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(store, new(store), errors, validateAllProperties: true);

        patch.Spec.Replicas.ShouldBe(2);
        valid.ShouldBeTrue(string.Join("; ", errors.Select(e => e.ErrorMessage)));
        store.IsPostgres.ShouldBeTrue();
        store.ResolveConnectionString("/nonexistent").ShouldNotBeNullOrWhiteSpace("the Secret's database-url, never a file in the pod");
        overrides.Single(e => e.Name == "POLYARCH_Store__ConnectionString").ValueFrom.SecretKeyRef.Optional.ShouldBe(false);
    }

    private static V1Container Container() =>
        KubernetesYaml.Deserialize<V1Deployment>(File.ReadAllText(DeploymentFile), strict: true).Spec.Template.Spec.Containers.Single(c => c.Name == "invoker");

    // What the kubelet would hand the process: literal values as written, a secret's value (a random key of the
    // length `openssl rand -hex 32` gives), and downward-API fields; then the invoker's own POLYARCH_ mapping.
    private static (string Urls, IConfiguration Configuration) Environment(V1Container container)
    {
        var values = new Dictionary<string, string?>();
        foreach (var env in container.Env.Where(e => e.Name.StartsWith("POLYARCH_", StringComparison.Ordinal)))
        {
            var value = env.Value
                ?? (env.ValueFrom?.SecretKeyRef is not null ? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) : null)
                ?? (env.ValueFrom?.FieldRef is { } field ? $"field:{field.FieldPath}" : null);
            values[env.Name["POLYARCH_".Length..].Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        var args = container.Args.ToList();
        var urls = args[args.IndexOf("--urls") + 1];
        return (urls, new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }
}
