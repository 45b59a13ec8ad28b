using Microsoft.Extensions.Options;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Webhooks;

namespace Polyarch.Builder.Tests.Webhooks;

public sealed class RepositoryAllowlistTests
{
    private static readonly RepositoryAllowlist Allowlist = new(Options.Create(new BuilderOptions
    {
        StateDirectory = "/tmp/unused",
        Allowlist =
        [
            new AllowlistEntry { UrlPattern = "https://git.example.com/team/*", Repository = "team/{name}" },
            new AllowlistEntry { UrlPattern = "https://git.example.com/platform/**", Repository = "platform/all" },
            new AllowlistEntry { UrlPattern = "https://git.example.com/one/exact.git", Repository = "one/exact" },
        ],
    }));

    [Theory]
    [InlineData("https://git.example.com/team/Echo.git", "team/echo")]
    [InlineData("https://git.example.com/team/echo", "team/echo")]
    [InlineData("https://GIT.example.com/team/echo/", "team/echo")]
    [InlineData("https://git.example.com/platform/a/b/c.git", "platform/all")]
    [InlineData("https://git.example.com/one/exact.git", "one/exact")]
    [InlineData("https://git.example.com/team/a/b.git", null)]
    [InlineData("https://git.example.com/teams/echo.git", null)]
    [InlineData("https://git.example.com.evil.net/team/echo.git", null)]
    [InlineData("https://git.example.com/one/exact.git.evil", null)]
    [InlineData("/srv/git/team/echo", null)]
    [InlineData("file:///srv/git/team/echo", null)]
    [InlineData("", null)]
    public void Match_maps_allowed_urls_and_refuses_everything_else(string url, string? expected) =>
        Allowlist.Match([url])?.Repository.ShouldBe(expected);
}
