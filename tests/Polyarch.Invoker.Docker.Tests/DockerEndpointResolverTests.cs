using System.Security.Cryptography;
using System.Text;
using Polyarch.Invoker.DockerEngine;

namespace Polyarch.Invoker.DockerEngine.Tests;

/// <summary>
/// The invoker finds its engine as the docker CLI does (invoker/README.md, "Which engine"), so it and the builder, which
/// drives the docker CLI, talk to the same engine: Docker:Endpoint, Docker:Context (`--context`), DOCKER_HOST,
/// DOCKER_CONTEXT, currentContext in $DOCKER_CONFIG/config.json, else the default socket.
/// </summary>
public sealed class DockerEndpointResolverTests : IDisposable
{
    private readonly string _config = Directory.CreateTempSubdirectory("polyarch-docker-config-").FullName;

    public void Dispose() => Directory.Delete(_config, recursive: true);

    [Fact]
    public void Without_any_setting_it_is_the_default_socket()
    {
        var endpoint = DockerEndpointResolver.Resolve(new DockerBackendOptions(), new DockerCliEnvironment(DockerConfig: _config));

        endpoint.Uri.ShouldBe(new Uri("unix:///var/run/docker.sock"));
        endpoint.Source.ShouldBe("default");
        endpoint.Credentials.ShouldBeNull();
    }

    [Fact]
    public void DOCKER_HOST_is_honoured()
    {
        var endpoint = DockerEndpointResolver.Resolve(new DockerBackendOptions(), new DockerCliEnvironment(DockerHost: "unix:///run/other.sock", DockerConfig: _config));

        endpoint.Uri.ShouldBe(new Uri("unix:///run/other.sock"));
        endpoint.Source.ShouldBe("DOCKER_HOST");
    }

    [Fact]
    public void The_current_context_of_the_docker_config_is_used_when_nothing_else_is_set()
    {
        Context("remote", "tcp://10.9.8.7:2375");
        File.WriteAllText(Path.Combine(_config, "config.json"), """{"currentContext":"remote"}""");

        var endpoint = DockerEndpointResolver.Resolve(new DockerBackendOptions(), new DockerCliEnvironment(DockerConfig: _config));

        endpoint.Uri.ShouldBe(new Uri("tcp://10.9.8.7:2375"));
        endpoint.Source.ShouldBe("docker context remote");
    }

    [Fact]
    public void The_order_is_the_docker_clis_with_the_invokers_own_settings_first()
    {
        Context("from-env", "tcp://10.0.0.1:2375");
        Context("from-option", "tcp://10.0.0.2:2375");
        File.WriteAllText(Path.Combine(_config, "config.json"), """{"currentContext":"default"}""");
        var everything = new DockerCliEnvironment(DockerHost: "tcp://10.0.0.3:2375", DockerContext: "from-env", DockerConfig: _config);

        DockerEndpointResolver.Resolve(new DockerBackendOptions { Endpoint = "unix:///explicit.sock", Context = "from-option" }, everything).Source.ShouldBe("Docker:Endpoint");
        DockerEndpointResolver.Resolve(new DockerBackendOptions { Context = "from-option" }, everything).Uri.ShouldBe(new Uri("tcp://10.0.0.2:2375"));
        DockerEndpointResolver.Resolve(new DockerBackendOptions(), everything).Source.ShouldBe("DOCKER_HOST");
        DockerEndpointResolver.Resolve(new DockerBackendOptions(), everything with { DockerHost = null }).Uri.ShouldBe(new Uri("tcp://10.0.0.1:2375"));
        DockerEndpointResolver.Resolve(new DockerBackendOptions(), everything with { DockerHost = null, DockerContext = null }).Source.ShouldBe("docker context default");
    }

    [Fact]
    public void An_unknown_context_is_refused_naming_it_where_it_came_from_and_the_fix()
    {
        var error = Should.Throw<EngineConfigurationException>(() =>
            DockerEndpointResolver.Resolve(new DockerBackendOptions(), new DockerCliEnvironment(DockerContext: "nope", DockerConfig: _config)));

        error.Message.ShouldContain("'nope'");
        error.Message.ShouldContain("DOCKER_CONTEXT");
        error.Message.ShouldContain("docker context ls");
    }

    [Theory]
    [InlineData("ssh://me@builder")]
    [InlineData("/var/run/docker.sock")]
    public void An_endpoint_the_invoker_cannot_speak_is_refused_with_the_accepted_forms(string host)
    {
        var error = Should.Throw<EngineConfigurationException>(() =>
            DockerEndpointResolver.Resolve(new DockerBackendOptions(), new DockerCliEnvironment(DockerHost: host, DockerConfig: _config)));

        error.Message.ShouldContain($"DOCKER_HOST '{host}'");
        error.Message.ShouldContain("unix:///var/run/docker.sock or tcp://HOST:PORT");
    }

    [Fact]
    public void DOCKER_TLS_VERIFY_without_a_certificate_names_the_directory_and_the_fix()
    {
        var error = Should.Throw<EngineConfigurationException>(() => DockerEndpointResolver.Resolve(
            new DockerBackendOptions(),
            new DockerCliEnvironment(DockerHost: "tcp://127.0.0.1:2376", DockerConfig: _config, DockerTlsVerify: "1", DockerCertPath: Path.Combine(_config, "missing"))));

        error.Message.ShouldContain(Path.Combine(_config, "missing"));
        error.Message.ShouldContain("DOCKER_CERT_PATH");
    }

    private void Context(string name, string host)
    {
        var directory = Path.Combine(_config, "contexts", "meta", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name))));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "meta.json"), System.Text.Json.JsonSerializer.Serialize(new { Name = name, Metadata = new { }, Endpoints = new { docker = new { Host = host, SkipTLSVerify = false } } }));
    }
}
