using Polyarch.Builder.Buildx;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Buildx;

/// <summary>Where the buildx plugin is found (docker/cli's cli-plugins/manager order) and when buildx goes through docker.</summary>
public sealed class BuildxPluginTests : IDisposable
{
    private readonly TempDirectory _root = new();

    private string Home => _root.Combine("home");

    private string[] SystemDirectories => [_root.Combine("usr-local-lib"), _root.Combine("usr-local-libexec"), _root.Combine("usr-lib"), _root.Combine("usr-libexec")];

    private static string Plugin(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "docker-buildx");
        File.WriteAllText(path, "#!/bin/sh\n");
        return path;
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 3 }, 0)]
    [InlineData(new[] { 1, 2, 3 }, 1)]
    [InlineData(new[] { 2, 3 }, 2)]
    [InlineData(new[] { 3 }, 3)]
    [InlineData(new[] { 1, 3 }, 1)]
    public void The_first_system_directory_holding_the_plugin_wins(int[] holding, int expected)
    {
        foreach (var index in holding)
        {
            Plugin(SystemDirectories[index]);
        }

        BuildxPlugin.Find(null, Home, SystemDirectories).ShouldBe(Path.Combine(SystemDirectories[expected], "docker-buildx"));
    }

    [Fact]
    public void The_users_cli_plugins_directory_comes_before_the_system_ones()
    {
        Plugin(SystemDirectories[0]);
        var users = Plugin(Path.Combine(Home, ".docker", "cli-plugins"));

        BuildxPlugin.Find(null, Home, SystemDirectories).ShouldBe(users);
    }

    [Fact]
    public void DOCKER_CONFIG_replaces_the_home_directorys_docker_folder()
    {
        Plugin(Path.Combine(Home, ".docker", "cli-plugins"));
        Plugin(SystemDirectories[3]);
        var configured = Plugin(_root.Combine("config", "cli-plugins"));

        BuildxPlugin.Find(_root.Combine("config"), Home, SystemDirectories).ShouldBe(configured);
        Directory.Delete(_root.Combine("config", "cli-plugins"), recursive: true);
        BuildxPlugin.Find(_root.Combine("config"), Home, SystemDirectories).ShouldBe(Path.Combine(SystemDirectories[3], "docker-buildx"), "not ~/.docker's");
    }

    [Fact]
    public void No_plugin_anywhere_means_through_docker()
    {
        Directory.CreateDirectory(SystemDirectories[0]);
        Directory.CreateDirectory(Path.Combine(SystemDirectories[1], "docker-buildx")); // a directory is no plugin

        BuildxPlugin.Find(null, Home, SystemDirectories).ShouldBeNull();
    }

    [Theory]
    [InlineData("{\"cliPluginsExtraDirs\":[\"/opt/plugins\"]}")]
    [InlineData("not json")]
    public void A_config_with_extra_plugin_directories_or_one_that_cannot_be_read_goes_through_docker(string config)
    {
        Plugin(SystemDirectories[3]);
        Directory.CreateDirectory(_root.Combine("config"));
        File.WriteAllText(_root.Combine("config", "config.json"), config);

        BuildxPlugin.Find(_root.Combine("config"), Home, SystemDirectories).ShouldBeNull();
    }

    [Fact]
    public void A_config_without_extra_plugin_directories_keeps_the_direct_plugin()
    {
        var plugin = Plugin(SystemDirectories[3]);
        Directory.CreateDirectory(_root.Combine("config"));
        File.WriteAllText(_root.Combine("config", "config.json"), "{\"auths\":{},\"currentContext\":\"default\"}");

        BuildxPlugin.Find(_root.Combine("config"), Home, SystemDirectories).ShouldBe(plugin);
    }

    [Theory]
    [InlineData("/opt/docker/bin/docker", "auto", null)] // an explicit client (the tests' fakes) runs buildx itself
    [InlineData(BuilderOptions.DefaultDockerPath, "docker", null)]
    [InlineData(BuilderOptions.DefaultDockerPath, "", null)]
    [InlineData(BuilderOptions.DefaultDockerPath, "/opt/buildx/docker-buildx", "/opt/buildx/docker-buildx")]
    [InlineData("/opt/docker/bin/docker", "/opt/buildx/docker-buildx", "/opt/buildx/docker-buildx")]
    public void The_setting_chooses_between_the_plugin_and_the_docker_client(string dockerPath, string buildxPath, string? expected) =>
        BuildxPlugin.Resolve(new BuilderOptions { DockerPath = dockerPath, BuildxPath = buildxPath }).ShouldBe(expected);

    [Fact]
    public void Auto_with_the_default_docker_client_finds_the_plugin_where_the_docker_CLI_would()
    {
        var expected = BuildxPlugin.Find(Environment.GetEnvironmentVariable("DOCKER_CONFIG"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), BuildxPlugin.SystemDirectories);

        BuildxPlugin.Resolve(new BuilderOptions()).ShouldBe(expected);
    }

    public void Dispose() => _root.Dispose();
}
