using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Polyarch.Invoker.Dashboard;

/// <summary>
/// The builder's read API (GET /v1/builds, /v1/builds/{id}, /v1/builds/{id}/log) over HTTP — the invoker never
/// references the builder's code. The key comes from Dashboard:BuilderApiKey, else the builder's key file.
/// </summary>
internal sealed partial class BuilderApiClient(HttpClient http, IOptions<DashboardOptions> options, IConfiguration configuration, ILogger<BuilderApiClient> logger)
{
    private readonly DashboardOptions _options = options.Value;

    public string KeyFile => _options.BuilderApiKeyFile
        ?? Path.Combine(DashboardAuthentication.StateDirectoryOf(configuration), "secrets", "builder-api.key");

    public Task<BuilderAnswer> ListBuildsAsync(int limit, CancellationToken cancellationToken) =>
        GetAsync(FormattableString.Invariant($"v1/builds?limit={limit}"), json: true, cancellationToken);

    public Task<BuilderAnswer> GetBuildAsync(string id, CancellationToken cancellationToken) =>
        GetAsync($"v1/builds/{Uri.EscapeDataString(id)}", json: true, cancellationToken);

    public Task<BuilderAnswer> GetLogAsync(string id, CancellationToken cancellationToken) =>
        GetAsync($"v1/builds/{Uri.EscapeDataString(id)}/log", json: false, cancellationToken);

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
