using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Polyarch.Invoker.Dashboard;

/// <summary>
/// The builder's read API (GET /v1/builds, /v1/builds/{id}, /v1/builds/{id}/log, /v1/builds/{id}/events) over HTTP — the invoker never
/// references the builder's code. The key comes from Dashboard:BuilderApiKey, else the builder's key file.
/// </summary>
internal sealed partial class BuilderApiClient(HttpClient http, IOptions<DashboardOptions> options, IConfiguration configuration, TimeProvider time, ILogger<BuilderApiClient> logger)
{
    /// <summary>How long one look at a running build's event stream may take: its latest state per platform comes at once.</summary>
    private static readonly TimeSpan ProgressBudget = TimeSpan.FromMilliseconds(800);

    private readonly DashboardOptions _options = options.Value;

    public string KeyFile => _options.BuilderApiKeyFile
        ?? Path.Combine(DashboardAuthentication.StateDirectoryOf(configuration), "secrets", "builder-api.key");

    public Task<BuilderAnswer> ListBuildsAsync(int limit, CancellationToken cancellationToken) =>
        GetAsync(FormattableString.Invariant($"v1/builds?limit={limit}"), json: true, cancellationToken);

    public Task<BuilderAnswer> GetBuildAsync(string id, CancellationToken cancellationToken) =>
        GetAsync($"v1/builds/{Uri.EscapeDataString(id)}", json: true, cancellationToken);

    public Task<BuilderAnswer> GetLogAsync(string id, CancellationToken cancellationToken) =>
        GetAsync($"v1/builds/{Uri.EscapeDataString(id)}/log", json: false, cancellationToken);

    /// <summary>
    /// The latest progress of each platform of a running build: opens <c>GET /v1/builds/{id}/events</c> (the builder sends a late
    /// subscriber each platform's latest state first), reads until every platform answered, the build ended or the budget is
    /// spent, and closes it. Empty when the builder has none (the build runs on another replica, or not yet).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, BuildProgressView>> GetProgressAsync(string id, int platforms, CancellationToken cancellationToken)
    {
        var progress = new Dictionary<string, BuildProgressView>(StringComparer.Ordinal);
        using var budget = new CancellationTokenSource(ProgressBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_options.BuilderUrl, $"v1/builds/{Uri.EscapeDataString(id)}/events"));
        if (ReadKey() is { } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                return progress;
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(linked.Token));
            while (progress.Count < platforms && await reader.ReadLineAsync(linked.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                using var document = JsonDocument.Parse(line);
                if (!document.RootElement.TryGetProperty("progress", out var element))
                {
                    break; // {"build": …}: it ended.
                }

                if (BuildProgressView.Parse(element) is { } view)
                {
                    progress[view.Platform] = view;
                }
            }
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Budget spent: show what came.
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or IOException)
        {
            LogUnavailable(_options.BuilderUrl, exception.Message);
        }

        return progress;
    }

    /// <summary>The progress of every running build of a list, by build id.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, BuildProgressView>>> GetRunningProgressAsync(
        IEnumerable<BuildView> builds, CancellationToken cancellationToken)
    {
        var running = builds.Where(b => b.Status == "running").Take(5).ToList();
        var answers = await Task.WhenAll(running.Select(b => GetProgressAsync(b.Id, b.Platforms.Count, cancellationToken)));
        return running.Select((b, i) => (b.Id, Progress: answers[i])).ToDictionary(x => x.Id, x => x.Progress, StringComparer.Ordinal);
    }

    private async Task<BuilderAnswer> GetAsync(string path, bool json, CancellationToken cancellationToken)
    {
        var url = new Uri(_options.BuilderUrl, path);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ReadKey() is { } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return BuilderAnswer.Failed($"The builder at {_options.BuilderUrl} knows no such build ({path}).", notFound: true);
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return BuilderAnswer.Failed(
                    $"The builder at {_options.BuilderUrl} refused the dashboard's key ({(int)response.StatusCode}): set Dashboard:BuilderApiKey or put the builder's key in {KeyFile}.");
            }

            if (!response.IsSuccessStatusCode)
            {
                return BuilderAnswer.Failed($"The builder at {_options.BuilderUrl} answered {(int)response.StatusCode} to GET /{path}.");
            }

            if (!json)
            {
                return new BuilderAnswer(null, await response.Content.ReadAsStringAsync(cancellationToken), null);
            }

            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return new BuilderAnswer(document.RootElement.Clone(), null, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(_options.BuilderUrl, exception.Message);
            return BuilderAnswer.Failed(
                $"The builder at {_options.BuilderUrl} does not answer ({exception.Message}): start it (scripts/services.sh up) or set Dashboard:BuilderUrl.");
        }
    }

    private string? ReadKey()
    {
        if (!string.IsNullOrWhiteSpace(_options.BuilderApiKey))
        {
            return _options.BuilderApiKey.Trim();
        }

        try
        {
            return File.Exists(KeyFile) ? File.ReadAllText(KeyFile).Trim() is { Length: > 0 } key ? key : null : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogKeyUnreadable(KeyFile, exception.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 8201, Level = LogLevel.Warning, Message = "The dashboard cannot reach the builder at {BuilderUrl}: {Reason}")]
    private partial void LogUnavailable(Uri builderUrl, string reason);

    [LoggerMessage(EventId = 8202, Level = LogLevel.Warning, Message = "The dashboard cannot read the builder's key file {File}: {Reason}")]
    private partial void LogKeyUnreadable(string file, string reason);
}
