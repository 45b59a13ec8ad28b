using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;

namespace Polyarch.Invoker.Invocation;

/// <summary>
/// The OpenWhisk action-proxy protocol — the one client both backends use: POST /init once per container,
/// POST /run per activation, over a pooled HttpClient (its own for Docker's published ports, the pod-IP or
/// port-forward client on Kubernetes). Bodies are read up to a limit so a huge answer cannot exhaust memory.
/// </summary>
/// <remarks>
/// Every warm container has its own published port, so the handler's per-endpoint pool is a per-container
/// pool: /init and every /run of a container reuse one keep-alive connection (a proxy that forks per
/// connection, like busybox <c>nc -ll -e</c>, then forks once per container instead of once per call).
/// The warm pool runs one activation per container at a time (OpenWhisk's default), so one connection
/// per container is all it needs — and a proxy that keeps a process per open connection never gets more.
/// </remarks>
internal sealed class ActionHttpClient : IDisposable
{
    /// <summary>The namespace every activation runs in (OpenWhisk's <c>namespace</c> field).</summary>
    public const string Namespace = "polyarch";

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _client;
    private readonly bool _owned;

    /// <summary>A client on another transport (a pod's IP or a port-forward); the caller owns <paramref name="client"/>.</summary>
    public ActionHttpClient(HttpClient client)
    {
        _client = client;
    }

    public ActionHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            // A busy container keeps its connection; an idle one's is closed after a minute (its proxy process
            // exits) and reopened on the next call — one fork, not one per call.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            MaxConnectionsPerServer = 1,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _owned = true;
    }

    /// <summary>The variable /init's <c>env</c> always carries: the invoker's files cap (<c>Invoker:MaxFilesBytes</c>).</summary>
    public const string FilesMaxBytesVariable = "POLYARCH_FILES_MAX_BYTES";

    /// <summary>
    /// The /init body, OpenWhisk's <c>{"value": {"name", "main", "code", "binary", "env"}}</c>: a code action sends its
    /// code (text, or a zip in base64 with <c>binary: true</c>) and main; a blackbox action (the image carries its code)
    /// sends an empty code, as OpenWhisk does for its own blackbox images. <c>env</c> is the action's environment plus
    /// <see cref="FilesMaxBytesVariable"/> = <paramref name="maxFilesBytes"/>, so the runtime's files cap is the
    /// invoker's (it wins over an action's own value: the invoker reads no more than that).
    /// </summary>
    public static JsonObject InitPayload(string actionName, IReadOnlyDictionary<string, string> environment, ActionCode? code, int maxFilesBytes)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var env = new JsonObject(environment
            .Where(kv => !string.Equals(kv.Key, FilesMaxBytesVariable, StringComparison.Ordinal))
            .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))))
        {
            [FilesMaxBytesVariable] = maxFilesBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new JsonObject
        {
            ["value"] = new JsonObject
            {
                ["name"] = actionName,
                ["main"] = code?.Main ?? ActionCode.DefaultMain,
                ["code"] = code?.Content ?? "",
                ["binary"] = code?.Binary ?? false,
                ["env"] = env,
            },
        };
    }

    /// <summary>
    /// The /run body: the parameters as <c>value</c> and OpenWhisk's activation fields — <c>namespace</c>,
    /// <c>action_name</c>, <c>activation_id</c>, <c>transaction_id</c> and <c>deadline</c>, a JSON number of epoch
    /// milliseconds (the runtimes' ActionLoop protocol; proxies export each as <c>__OW_…</c>).
    /// </summary>
    public static JsonObject RunPayload(JsonNode? parameters, string actionName, string activationId, DateTimeOffset deadline) => new()
    {
        ["value"] = parameters?.DeepClone() ?? new JsonObject(),
        ["namespace"] = Namespace,
        ["action_name"] = actionName,
        ["activation_id"] = activationId,
        ["transaction_id"] = activationId,
        ["deadline"] = deadline.ToUnixTimeMilliseconds(),
    };

    public Task<ActionHttpResponse> InitAsync(Uri baseUri, JsonObject payload, int maxBytes, CancellationToken cancellationToken) =>
        PostAsync(new Uri(baseUri, "init"), payload, maxBytes, cancellationToken);

    public Task<ActionHttpResponse> RunAsync(Uri baseUri, JsonObject payload, int maxBytes, CancellationToken cancellationToken) =>
        PostAsync(new Uri(baseUri, "run"), payload, maxBytes, cancellationToken);

    public void Dispose()
    {
        if (_owned)
        {
            _client.Dispose();
        }
    }

    private async Task<ActionHttpResponse> PostAsync(Uri uri, JsonObject payload, int maxBytes, CancellationToken cancellationToken)
    {
        // "init" or "run": the action proxy's two calls, under the activation's span.
        using var activity = Telemetry.InvokerTelemetry.Source.StartActivity(uri.Segments[^1], System.Diagnostics.ActivityKind.Client);
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString()));
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var (body, exceeded) = await ReadBoundedAsync(stream, maxBytes, cancellationToken);
        activity?.SetTag("http.response.status_code", (int)response.StatusCode);
        return new ActionHttpResponse((int)response.StatusCode, body, exceeded);
    }

    internal static async Task<(byte[] Body, bool Exceeded)> ReadBoundedAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return (buffer.ToArray(), false);
            }

            if (buffer.Length + read > maxBytes)
            {
                return ([], true);
            }

            buffer.Write(chunk, 0, read);
        }
    }
}
