using Polyarch.Builder.Publishing;

namespace Polyarch.Builder.Tests.Publishing;

/// <summary>Registry addresses and repository names, parsed with the registry library's ImageReference.</summary>
public sealed class RegistryNamesTests
{
    [Theory]
    [InlineData("127.0.0.1:5000")]
    [InlineData("localhost:5000")]
    [InlineData("registry.lan")]
    [InlineData("reg.example.com:30501")]
    [InlineData("[::1]:5000")]
    public void Registry_addresses_pass(string registry) => RegistryNames.RegistryProblem(registry).ShouldBeNull();

    [Theory]
    [InlineData("UPPER/Case", "contains '/'")]
    [InlineData("127.0.0.1:5000/demo", "contains '/'")]
    [InlineData("", "empty")]
    [InlineData("$(id)", "not a host")]
    [InlineData("myregistry", "needs a '.', a ':port' or to be localhost")]
    [InlineData("reg.lan:port", "not a host")]
    [InlineData("a b:5000", "not a host")]
    [InlineData("user@reg.lan", "contains '@'")]
    public void Registry_values_that_are_no_host_are_refused(string registry, string reason) =>
        RegistryNames.RegistryProblem(registry).ShouldNotBeNull().ShouldContain(reason);

    [Theory]
    [InlineData("demo/echo")]
    [InlineData("a/b/c-d_e.f")]
    [InlineData("a__b/c---d")]
    [InlineData("echo")]
    public void Repository_names_pass(string repository) => RegistryNames.RepositoryProblem("127.0.0.1:5000", repository).ShouldBeNull();

    [Theory]
    [InlineData("UPPER/Case", "lower case")]
    [InlineData("Demo/echo", "lower case")]
    [InlineData("a..b", "'a..b'")]
    [InlineData("$(id)", "'$(id)'")]
    [InlineData("../../etc/passwd", "'..'")]
    [InlineData("demo//echo", "empty component")]
    [InlineData("/demo", "empty component")]
    [InlineData("demo/echo:latest", "reads as")]
    [InlineData("demo/echo@sha256:abc", "digest")]
    [InlineData("-demo", "'-demo'")]
    [InlineData("demo/echo\n", "control characters")]
    [InlineData("", "empty")]
    public void Repository_names_the_registry_would_refuse_are_refused(string repository, string reason) =>
        RegistryNames.RepositoryProblem("127.0.0.1:5000", repository).ShouldNotBeNull().ShouldContain(reason);

    [Fact]
    public void The_name_with_its_registry_is_at_most_255_characters()
    {
        const string registry = "127.0.0.1:5000"; // 14 characters + '/' = 15
        var longest = string.Join('/', new string('a', 120), new string('b', 119)); // 240 characters

        RegistryNames.RepositoryProblem(registry, longest).ShouldBeNull();
        RegistryNames.RepositoryProblem(registry, longest + "c").ShouldNotBeNull().ShouldContain("256 characters long, at most 255");
        RegistryNames.RepositoryProblem("r.lan", longest + "ccccccccc").ShouldBeNull();
    }
}
