using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Polyarch.Invoker.Actions;

/// <summary>
/// The code of a code action (OpenWhisk's <c>exec.code</c>): stored in the action's document, sent at /init to a runtime
/// image. <see cref="Content"/> is the text, or the zip in base64; <see cref="Sha256"/> and <see cref="Size"/> are of the
/// bytes (the UTF-8 text or the decoded zip).
/// </summary>
public sealed record ActionCode
{
    /// <summary>OpenWhisk's default entry point.</summary>
    public const string DefaultMain = "main";

    /// <summary>Default cap on the code's size in bytes: OpenWhisk's 48 MiB.</summary>
    public const long DefaultMaxBytes = 48L * 1024 * 1024;

    public required ActionCodeKind Kind { get; init; }

    /// <summary>The function the runtime calls (ignored for notebooks).</summary>
    public string Main { get; init; } = DefaultMain;

    /// <summary>The text, or the zip as base64; null in views that leave the code out.</summary>
    public string? Content { get; init; }

    /// <summary>"sha256:…" of the code's bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The code's size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Whether it is sent base64-encoded (<c>binary: true</c> at /init).</summary>
    [JsonIgnore]
    public bool Binary => Kind == ActionCodeKind.Binary;

    /// <summary>Source text or a notebook (a .ipynb's JSON is recognised by its content).</summary>
    public static ActionCode FromText(string text, string? main = null, bool? notebook = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        return new ActionCode
        {
            Kind = notebook ?? LooksLikeNotebook(text) ? ActionCodeKind.Notebook : ActionCodeKind.Text,
            Main = string.IsNullOrEmpty(main) ? DefaultMain : main,
            Content = text,
            Sha256 = Digest(bytes),
            Size = bytes.Length,
        };
    }

    /// <summary>A zip archive's bytes.</summary>
    public static ActionCode FromZip(byte[] zip, string? main = null)
    {
        ArgumentNullException.ThrowIfNull(zip);
        return new ActionCode
        {
            Kind = ActionCodeKind.Binary,
            Main = string.IsNullOrEmpty(main) ? DefaultMain : main,
            Content = Convert.ToBase64String(zip),
            Sha256 = Digest(zip),
            Size = zip.Length,
        };
    }

    /// <summary>The same code without its content (what `actions get` and GET /v1/actions show by default).</summary>
    public ActionCode WithoutContent() => this with { Content = null };

    /// <summary>A .ipynb document: a JSON object with a "cells" array and an "nbformat" number.</summary>
    public static bool LooksLikeNotebook(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] != '{')
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("cells", out var cells) && cells.ValueKind == JsonValueKind.Array
                && document.RootElement.TryGetProperty("nbformat", out var format) && format.ValueKind == JsonValueKind.Number;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
