using System.Text;
using Polyarch.Builder.Webhooks;

namespace Polyarch.Builder.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"ref\":\"refs/heads/main\"}");

    [Fact]
    public void Sign_matches_GitHubs_documented_example()
    {
        // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
        WebhookSignature.Sign(Encoding.UTF8.GetBytes("Hello, World!"), "It's a Secret to Everybody")
            .ShouldBe("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    [Theory]
    [InlineData(GitProvider.GitHub, true, "sha256=")]
    [InlineData(GitProvider.PostReceive, true, "sha256=")]
    [InlineData(GitProvider.Gitea, true, "")]
    [InlineData(GitProvider.GitHub, false, "")]
    [InlineData(GitProvider.Gitea, false, "sha256=")]
    [InlineData(GitProvider.GitHub, false, "sha1=")]
    public void Verify_expects_each_providers_format(GitProvider provider, bool expected, string prefix) =>
        WebhookSignature.Verify(provider, prefix + WebhookSignature.Sign(Body, "s"), Body, "s").ShouldBe(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha256=zz")]
    [InlineData("sha256=GGGG0000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256=00000000000000000000000000000000000000000000000000000000000000000000")]
    public void Verify_rejects_malformed_headers_without_throwing(string? header) =>
        WebhookSignature.Verify(GitProvider.GitHub, header, Body, "s").ShouldBeFalse();

    [Fact]
    public void Verify_refuses_an_empty_secret() =>
        WebhookSignature.Verify(GitProvider.GitLab, "", Body, "").ShouldBeFalse();
}
