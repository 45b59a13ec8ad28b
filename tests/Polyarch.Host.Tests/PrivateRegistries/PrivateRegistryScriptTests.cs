using System.Net;
using Polyarch.Testing;

namespace Polyarch.Host.Tests.PrivateRegistries;

/// <summary>scripts/private-registry.sh: `up` again changes nothing, its secrets are 0600, and the TLS registry asks for the htpasswd credentials.</summary>
[Collection(PrivateRegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PrivateRegistryScriptTests(PrivateRegistryFixture registry)
{
    [Fact]
    public async Task Up_again_creates_and_starts_nothing_and_status_reports_every_part()
    {
        var script = RepositoryRoot.Combine("scripts", "private-registry.sh");

        var up = await Tool.RunAsync(script, ["up"]);

        up.ExitCode.ShouldBe(0, Tool.Describe(up));
        up.StandardOutput.ShouldNotContain("==>");
        var status = await Tool.RunAsync(script, ["status"]);
        status.ExitCode.ShouldBe(0, Tool.Describe(status));
        status.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2])
            .ShouldAllBe(parts => parts[1] == "ok");
        (await File.ReadAllLinesAsync("/etc/hosts")).Count(l => l.Contains(registry.HostName, StringComparison.Ordinal)).ShouldBe(1);
        var keys = Path.GetDirectoryName(Path.GetDirectoryName(registry.CaFile))!;
        var modes = await Tool.RunAsync("stat", ["-c", "%a %n", Path.Combine(keys, "ca", "ca.key"), Path.Combine(keys, "tls", "server.key"), Path.Combine(keys, "auth", "htpasswd")]);
        modes.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldAllBe(line => line.StartsWith("600 ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong", HttpStatusCode.Unauthorized)]
    [InlineData("right", HttpStatusCode.OK)]
    public async Task The_TLS_registry_answers_only_its_htpasswd_user(string? password, HttpStatusCode expected)
    {
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.ImportFromPemFile(registry.CaFile);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return chain.Build(certificate!);
            },
        };
        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{registry.TlsRegistry}/v2/");
        if (password is not null)
        {
            var secret = password == "right" ? registry.Password : "wrong-password";
            request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{registry.User}:{secret}")));
        }

        using var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(expected);
    }
}
