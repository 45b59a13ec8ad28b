using System.Net.Http.Headers;
using System.Text;
using Polyarch.Builder.Webhooks;

namespace Polyarch.Builder.Tests.Support;

/// <summary>Push payloads as GitHub, Gitea/Forgejo and GitLab send them (trimmed to the fields that matter), signed like they sign them.</summary>
public static class WebhookPayloads
{
    public const string Commit = "9fceb02d0ae598e95dc970b74767f19372d61af8";

    public static string GitHubPush(string branch = "main", string after = Commit) => $$"""
        {
          "ref": "refs/heads/{{branch}}",
          "before": "0000000000000000000000000000000000000000",
          "after": "{{after}}",
          "deleted": false,
          "repository": {
            "full_name": "team/echo",
            "html_url": "https://git.example.com/team/echo",
            "clone_url": "https://git.example.com/team/echo.git",
            "ssh_url": "git@git.example.com:team/echo.git",
            "default_branch": "main"
          },
          "pusher": { "name": "octo" }
        }
        """;

    public static string GitLabPush(string branch = "main") => $$"""
        {
          "object_kind": "push",
          "ref": "refs/heads/{{branch}}",
          "before": "0000000000000000000000000000000000000000",
          "after": "{{Commit}}",
          "checkout_sha": "{{Commit}}",
          "project": {
            "path_with_namespace": "team/echo",
            "web_url": "https://git.example.com/team/echo",
            "git_http_url": "https://git.example.com/team/echo.git",
            "git_ssh_url": "git@git.example.com:team/echo.git",
            "default_branch": "main"
          }
        }
        """;

    public static HttpRequestMessage GitHub(string body, string? delivery = null, string eventName = "push", string? signature = null) =>
        Create(body, new()
        {
            ["X-GitHub-Event"] = eventName,
            ["X-GitHub-Delivery"] = delivery ?? Guid.NewGuid().ToString(),
            ["X-Hub-Signature-256"] = signature ?? "sha256=" + WebhookSignature.Sign(Encoding.UTF8.GetBytes(body), BuilderAppFactory.Secret),
        });

    public static HttpRequestMessage Gitea(string body, string headerPrefix = "X-Gitea") =>
        Create(body, new()
        {
            [$"{headerPrefix}-Event"] = "push",
            [$"{headerPrefix}-Delivery"] = Guid.NewGuid().ToString(),
            [$"{headerPrefix}-Signature"] = WebhookSignature.Sign(Encoding.UTF8.GetBytes(body), BuilderAppFactory.Secret),
        });

    public static HttpRequestMessage GitLab(string body, string token = BuilderAppFactory.Secret) =>
        Create(body, new()
        {
            ["X-Gitlab-Event"] = "Push Hook",
            ["X-Gitlab-Event-UUID"] = Guid.NewGuid().ToString(),
            ["X-Gitlab-Token"] = token,
        });

    public static HttpRequestMessage Create(string body, Dictionary<string, string?> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/hooks/git")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in headers)
        {
            if (value is not null)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }
}
