using Polyarch.Invoker.DockerEngine;

namespace Polyarch.Invoker.DockerEngine.Tests;

/// <summary>The engine's own (Go) pull errors get advice that names the registry and the command that fixes it.</summary>
public sealed class EnginePullAdviceTests
{
    [Theory]
    [InlineData("Get \"https://reg.lan:30501/v2/\": http: server gave HTTP response to HTTPS client", false,
        "`polyarch-builder registry profile reg.lan:30501 --insecure --apply`")]
    [InlineData("Get \"https://reg.lan:30501/v2/\": tls: failed to verify certificate: x509: certificate signed by unknown authority", false,
        "`polyarch-builder registry profile reg.lan:30501 --ca FILE --apply`")]
    [InlineData("failed to resolve reference \"reg.lan:30501/a@sha256:00\": pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials", false,
        "none were found for it (Registry:Credentials, the Docker config's credHelpers, credsStore and auths): run `docker login reg.lan:30501`")]
    [InlineData("failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized", true,
        "rejected the credentials the invoker sent (Registry:Credentials or the Docker config of the invoker's user): log in again with `docker login reg.lan:30501`")]
    [InlineData("no such host", false, "Check that the registry is up")]
    public void For_EngineError_NamesTheFix(string error, bool sentCredentials, string expected) =>
        EnginePullAdvice.For("reg.lan:30501", error, sentCredentials).ShouldContain(expected);
}
