using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Activations;

namespace Polyarch.Invoker.Invocation;

/// <summary>Classifies what an action produced the way OpenWhisk does.</summary>
internal static class OutcomeClassifier
{
    private const int PreviewChars = 200;

    private static readonly string[] EntrypointFaults = ["no such file or directory", "permission denied", "executable file not found", "not a directory"];

    /// <summary>A response body (HTTP /run answer or the last stdout line of an exec action).</summary>
    public static Outcome FromResponse(ReadOnlySpan<byte> body, bool okStatus, bool exceeded, int maxBytes)
    {
        if (exceeded)
        {
            return DeveloperError($"The action produced a result larger than the limit of {maxBytes} bytes; it was dropped.", truncated: true);
        }

        JsonNode? node;
        try
        {
            node = body.IsEmpty ? null : JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            node = null;
        }

        if (node is not JsonObject result)
        {
            return DeveloperError($"The action did not produce a valid JSON object: {Preview(body)}");
        }

        if (!okStatus)
        {
            return new Outcome(ActivationStatus.DeveloperError, result);
        }

        return result.ContainsKey("error")
            ? new Outcome(ActivationStatus.ApplicationError, result)
            : new Outcome(ActivationStatus.Success, result);
    }

    /// <summary>A text answer (an exec action's last output line, read by a backend that gets text): same rules as bytes.</summary>
    public static Outcome FromText(string? text, int maxBytes)
    {
        if (text is null)
        {
            return FromResponse([], okStatus: true, exceeded: false, maxBytes);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        return FromResponse(bytes, okStatus: true, exceeded: bytes.Length > maxBytes, maxBytes);
    }

    /// <summary>The result object of a failure: {"error": message}.</summary>
    public static JsonObject ErrorObject(string message) => new() { ["error"] = message };

    /// <summary>The container ended (or was killed) without a usable answer.</summary>
    public static Outcome FromContainerExit(bool oomKilled, long exitCode, int memoryMb, string? logsTail)
    {
        if (oomKilled)
        {
            return DeveloperError($"The action exhausted its memory limit of {memoryMb} MiB and was OOM-killed (exit code {exitCode}).");
        }

        if (IsExecFormatError(logsTail))
        {
            return ExecFormatError();
        }

        return DeveloperError($"The action's container exited with code {exitCode} before it answered.");
    }

    /// <summary>
    /// A /run answer past <see cref="InvokerOptions.MaxAnswerBytes"/> (the result's cap plus the files' cap in base64),
    /// on either backend: names the cap and the options that make it.
    /// </summary>
    public static Outcome AnswerTooLarge(InvokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return DeveloperError(
            $"The action's answer to /run is larger than the limit of {options.MaxAnswerBytes} bytes (Invoker:MaxResultBytes {options.MaxResultBytes} for the result " +
            $"plus Invoker:MaxFilesBytes {options.MaxFilesBytes} for its files in base64); it was dropped. Return smaller files, or raise Invoker:MaxFilesBytes.",
            truncated: true);
    }

    public static Outcome Timeout(int timeoutMs) =>
        DeveloperError($"The action exceeded its time limit of {timeoutMs} ms and was stopped.");

    public static Outcome ExecFormatError() =>
        DeveloperError("The variant's entrypoint cannot execute on this machine (exec format error): the image's platform does not match its binaries or no QEMU handler exists for it.");

    public static Outcome InitFailed(string detail) => DeveloperError($"The action failed to initialize: {detail}");

    /// <summary>
    /// A non-200 answer to /init (OpenWhisk runtimes answer 502 when the code does not compile or load, 403 when the
    /// container was initialised already): an init error carrying the runtime's own <c>error</c> message when its body
    /// is <c>{"error": …}</c>, else the status and the start of the body.
    /// </summary>
    public static Outcome FromInitResponse(int statusCode, ReadOnlySpan<byte> body)
    {
        string? message = null;
        try
        {
            if (!body.IsEmpty && JsonNode.Parse(body) is JsonObject answer && answer["error"] is { } error)
            {
                message = error is JsonValue value && value.TryGetValue<string>(out var text) ? text : error.ToJsonString();
            }
        }
        catch (JsonException)
        {
        }

        return message is null
            ? InitFailed($"POST /init answered {statusCode}: {Preview(body)}")
            : InitFailed($"{message} (POST /init answered {statusCode})");
    }

    public static Outcome SystemError(string detail) =>
        new(ActivationStatus.SystemError, new JsonObject { ["error"] = detail });

    /// <summary>
    /// The action's fault when the engine cannot start its container: the entrypoint is not an executable of this
    /// platform (exec format error), does not exist or may not be executed (runc's "exec: \"/x\": stat /x: no such
    /// file or directory", "permission denied", "executable file not found in $PATH"). Null for anything else, which
    /// stays the engine's problem (a system error).
    /// </summary>
    public static Outcome? StartFailure(string? engineMessage)
    {
        if (IsExecFormatError(engineMessage))
        {
            return ExecFormatError();
        }

        if (engineMessage is null)
        {
            return null;
        }

        var exec = engineMessage.IndexOf("exec: ", StringComparison.Ordinal);
        if (exec < 0 || !EntrypointFaults.Any(f => engineMessage.Contains(f, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        // runc's message ends with the OCI error class (": unknown"); the part from "exec:" names the file and why.
        var detail = engineMessage[exec..].Trim();
        detail = detail.EndsWith(": unknown", StringComparison.Ordinal) ? detail[..^": unknown".Length] : detail;
        return DeveloperError($"The variant's entrypoint cannot start ({detail}): make the image's ENTRYPOINT/CMD name an executable that exists in the image for this platform.");
    }

    public static bool IsExecFormatError(string? text) =>
        text is not null && text.Contains("exec format error", StringComparison.OrdinalIgnoreCase);

    public static Outcome DeveloperError(string message, bool truncated = false) =>
        new(ActivationStatus.DeveloperError, ErrorObject(message), truncated);

    private static string Preview(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return "(empty)";
        }

        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, PreviewChars * 4)]);
        return text.Length > PreviewChars ? string.Concat(text.AsSpan(0, PreviewChars), "…") : text;
    }
}
