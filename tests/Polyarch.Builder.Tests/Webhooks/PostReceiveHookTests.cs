using System.Net;
using System.Net.Sockets;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using LibGit2Sharp;
using Polyarch.Builder.Tests.Support;
using Polyarch.Builder.Webhooks;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Webhooks;

/// <summary>scripts/post-receive in a real bare repository, pushed to with the real git.</summary>
public sealed class PostReceiveHookTests : IDisposable
{
    private const string Secret = "post-receive secret with spaces & \"quotes\"";
    private const string PublicUrl = "https://git.example.com/team/echo.git";
    private readonly TempDirectory _bare = new("polyarch-bare-");
    private readonly TestGitRepository _work = new();

    private sealed record Captured(Dictionary<string, string> Headers, byte[] Body);

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_push_of_two_branches_posts_two_signed_pushes_the_builder_accepts()
    {
        var port = TestPorts.FreePort();
        Repository.Init(_bare.Path, isBare: true);
        using (var bare = new Repository(_bare.Path))
        {
            bare.Refs.UpdateTarget("HEAD", "refs/heads/main");
            bare.Config.Set("polyarch.url", PublicUrl);
            bare.Config.Set("polyarch.builder", $"http://127.0.0.1:{port}");
        }

        File.Copy(RepositoryRoot.Combine("scripts", "post-receive"), Path.Combine(_bare.Path, "hooks", "post-receive"));
        var mainCommit = _work.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        _work.Switch("feature/arm-fix");
        var featureCommit = _work.Commit(new Dictionary<string, string> { ["a"] = "1" });
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var captured = new List<Captured>();
        var serving = ServeAsync(listener, captured);

        var push = await CliWrap.Cli.Wrap("git")
            .WithArguments(["-C", _work.Path, "push", "--", _bare.Path, "main", "feature/arm-fix"])
            .WithEnvironmentVariables(env => env.Set("POLYARCH_BUILDER_WEBHOOK_SECRET", Secret))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        listener.Stop();
        await serving;

        push.ExitCode.ShouldBe(0, push.StandardError);
        push.StandardError.ShouldContain("polyarch: main → ");
        push.StandardError.ShouldNotContain(Secret);
        captured.Count.ShouldBe(2);
        var events = captured.Select(c => PushEventParser.Parse(c.Body, out _)!).OrderBy(e => e.Ref, StringComparer.Ordinal).ToList();
        events.Select(e => (e.Branch, e.After)).ShouldBe([("feature/arm-fix", featureCommit), ("main", mainCommit)]);
        events.ShouldAllBe(e => e.DefaultBranch == "main" && e.RepositoryUrls.Contains(PublicUrl));
        foreach (var request in captured)
        {
            request.Headers["X-Polyarch-Event"].ShouldBe("push");
            WebhookSignature.Verify(GitProvider.PostReceive, request.Headers["X-Polyarch-Signature"], request.Body, Secret).ShouldBeTrue();
        }

        // The builder takes exactly what the hook sent.
        using var factory = new BuilderAppFactory(new Dictionary<string, string?> { ["Builder:Webhooks:Secret"] = Secret });
        using var client = factory.CreateClient();
        var first = captured[0];
        using var forwarded = WebhookPayloads.Create(Encoding.UTF8.GetString(first.Body), new()
        {
            ["X-Polyarch-Event"] = first.Headers["X-Polyarch-Event"],
            ["X-Polyarch-Delivery"] = first.Headers["X-Polyarch-Delivery"],
            ["X-Polyarch-Signature"] = first.Headers["X-Polyarch-Signature"],
        });
        using var response = await client.SendAsync(forwarded);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    private static async Task ServeAsync(HttpListener listener, List<Captured> captured)
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            captured.Add(new Captured(
                context.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase),
                body.ToArray()));
            var answer = Encoding.UTF8.GetBytes("{\"buildId\":\"test\"}");
            context.Response.StatusCode = 202;
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _work.Dispose();
        _bare.Dispose();
    }
}
