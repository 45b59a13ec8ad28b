using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Git;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Git;

/// <summary>
/// Issue 19 item 3: ssh remotes are fetched by the git CLI (the bundled libgit2 has no SSH). The real git client speaks its
/// ssh transport; the ssh hop itself is a stand-in (Builder:GitSshCommand) that runs git-upload-pack locally, as sshd would.
/// </summary>
public sealed class SshSourceTests : IDisposable
{
    private readonly TempDirectory _state = new();
    private readonly TestGitRepository _repository = new();

    [Theory]
    [InlineData("ssh://git@git.example.invalid{path}")]
    [InlineData("git@git.example.invalid:{path}")]
    public async Task An_ssh_remote_is_fetched_through_the_git_cli_with_the_configured_ssh_command(string pattern)
    {
        var commit = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        var log = Path.Combine(_state.Path, "ssh.log");
        using var services = BuilderServices.Create(_state.Path, new Dictionary<string, string?> { ["Builder:GitSshCommand"] = FakeSsh(log) });
        var git = services.GetRequiredService<GitSource>();
        var url = pattern.Replace("{path}", _repository.Path, StringComparison.Ordinal);

        var source = await git.ResolveAsync(url, null, null, CancellationToken.None);
        var checkout = Path.Combine(_state.Path, "checkout");
        await git.CheckoutAsync(url, source.Commit, checkout, CancellationToken.None);

        source.Url.ShouldBe(url);
        source.Commit.ShouldBe(commit);
        source.DefaultBranch.ShouldBe("main");
        source.IsDefaultBranch.ShouldBeTrue();
        File.ReadAllText(Path.Combine(checkout, "Dockerfile")).ShouldBe("FROM scratch\n");
        var calls = await File.ReadAllTextAsync(log);
        calls.ShouldContain("git.example.invalid");
        calls.ShouldContain($"git-upload-pack '{_repository.Path}'");
    }

    [Fact]
    public async Task An_ssh_remote_that_cannot_be_reached_is_a_dependency_error_naming_the_url_and_the_fix()
    {
        _repository.Commit(new Dictionary<string, string> { ["a"] = "1" });
        using var services = BuilderServices.Create(_state.Path, new Dictionary<string, string?> { ["Builder:GitSshCommand"] = "/bin/false" });
        var url = $"ssh://git@git.example.invalid{_repository.Path}";

        var exception = await Should.ThrowAsync<DependencyUnavailableException>(
            () => services.GetRequiredService<GitSource>().ResolveAsync(url, null, null, CancellationToken.None));

        exception.ExitCode.ShouldBe(3);
        exception.Message.ShouldContain(url);
        exception.Message.ShouldContain("Builder:GitSshCommand");
    }

    [Theory]
    [InlineData("ssh://git@host/team/fn.git", true)]
    [InlineData("git@host:team/fn.git", true)]
    [InlineData("git+ssh://host/team/fn.git", true)]
    [InlineData("https://host/team/fn.git", false)]
    [InlineData("git://host/team/fn.git", false)]
    [InlineData("/srv/git/fn.git", false)]
    public void IsSsh_tells_ssh_remotes_apart(string url, bool ssh) => SourceUrl.IsSsh(url).ShouldBe(ssh);

    [Fact]
    public void An_ssh_user_is_no_credential_but_a_password_is()
    {
        SourceUrl.Normalize("ssh://git@host/team/fn.git").ShouldBe("ssh://git@host/team/fn.git");
        Should.Throw<InvalidBuildInputException>(() => SourceUrl.Normalize("ssh://git:secret@host/team/fn.git"));
    }

    public void Dispose()
    {
        _repository.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _state.Dispose();
    }

    // What sshd would do for `ssh HOST COMMAND`: run COMMAND (git-upload-pack 'PATH') and connect its stdio; every call is logged.
    private string FakeSsh(string log)
    {
        var script = Path.Combine(_state.Path, "fake-ssh");
        File.WriteAllText(script, $"#!/bin/sh\necho \"$@\" >> '{log}'\nfor last; do :; done\nexec sh -c \"$last\"\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        return script;
    }
}
