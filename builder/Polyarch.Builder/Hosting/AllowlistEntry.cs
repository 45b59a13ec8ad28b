namespace Polyarch.Builder.Hosting;

/// <summary>One allowlist rule: repository URLs matching <see cref="UrlPattern"/> build into <see cref="Repository"/>.</summary>
public sealed class AllowlistEntry
{
    /// <summary>A URL with <c>*</c> wildcards, e.g. <c>https://git.example.com/team/*</c>.</summary>
    public string UrlPattern { get; set; } = "";

    /// <summary>The registry repository; <c>{name}</c> is replaced by the repository's last path segment.</summary>
    public string Repository { get; set; } = "";
}
