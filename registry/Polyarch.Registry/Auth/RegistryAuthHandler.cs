using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Polyarch.Registry.Client;
using Polyarch.Registry.Http;

namespace Polyarch.Registry.Auth;

/// <summary>
/// Answers registry challenges: anonymous first; on 401 the Basic scheme with stored credentials, or the
/// bearer-token flow of the distribution token spec (GET realm?service=…&amp;scope=…), then resends once.
/// </summary>
internal sealed partial class RegistryAuthHandler : DelegatingHandler
{
    // Tokens without expires_in are valid for 60 s (distribution token spec).
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BasicLifetime = TimeSpan.FromHours(1);

    private readonly CredentialStore _credentials;
    private readonly TokenCache _tokens;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ILogger<RegistryAuthHandler> _logger;

    public RegistryAuthHandler(CredentialStore credentials, TokenCache tokens, IHttpClientFactory httpClientFactory, ILogger<RegistryAuthHandler> logger)
    {
        _credentials = credentials;
        _tokens = tokens;
        _httpClientFactory = httpClientFactory;
        _logger = logger;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var authority = request.RequestUri!.Authority;
        var repository = RepositoryOf(request.RequestUri);
        request.Headers.Authorization ??= _tokens.Find(authority, repository);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || AuthChallenge.Select(response.Headers.WwwAuthenticate) is not { } challenge)
        {
            return response;
        }

        var header = await AnswerAsync(challenge, request, authority, repository, cancellationToken).ConfigureAwait(false);
        if (header is null)
        {
            return response;
        }

        response.Dispose();
        request.Headers.Authorization = header;
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AuthenticationHeaderValue?> AnswerAsync(
        AuthChallenge challenge, HttpRequestMessage request, string authority, string repository, CancellationToken cancellationToken)
    {
        var credential = _credentials.Find(authority);
        if (challenge.Scheme.Equals(AuthChallenge.Basic, StringComparison.OrdinalIgnoreCase))
        {
            if (credential is null)
            {
                return null;
            }

            var basic = BasicHeader(credential);
            _tokens.Store(authority, repository, basic, BasicLifetime);
            return basic;
        }

        if (!challenge.Scheme.Equals(AuthChallenge.Bearer, StringComparison.OrdinalIgnoreCase) || challenge["realm"] is not { } realm)
        {
            return null;
        }

        var scope = challenge["scope"] ?? $"repository:{repository}:{(IsWrite(request.Method) ? "pull,push" : "pull")}";
        var query = $"scope={Uri.EscapeDataString(scope)}" + (challenge["service"] is { } service ? $"&service={Uri.EscapeDataString(service)}" : string.Empty);
        var tokenUri = new Uri(realm + (realm.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);
        RegistryLog.FetchingToken(_logger, authority, scope, realm);
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        if (credential is not null)
        {
            tokenRequest.Headers.Authorization = BasicHeader(credential);
        }

        using var tokenResponse = await _httpClientFactory.CreateClient(RegistryHttpClients.Auth)
            .SendAsync(tokenRequest, cancellationToken).ConfigureAwait(false);
        if (!tokenResponse.IsSuccessStatusCode)
        {
            throw await RegistrySender.FailureAsync(tokenResponse, cancellationToken).ConfigureAwait(false);
        }

        var body = await BoundedContent.ReadAsync(tokenResponse.Content, 1024 * 1024, tokenUri, cancellationToken).ConfigureAwait(false);
        var token = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.TokenResponse);
        var value = token?.Token ?? token?.AccessToken;
        if (string.IsNullOrEmpty(value))
        {
            throw new RegistryRequestException(HttpMethod.Get, tokenUri, tokenResponse.StatusCode, "the token endpoint answered without a token");
        }

        var bearer = new AuthenticationHeaderValue(AuthChallenge.Bearer, value);
        var lifetime = token!.ExpiresIn is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : DefaultTokenLifetime;
        _tokens.Store(authority, repository, bearer, lifetime - TimeSpan.FromSeconds(Math.Min(10, lifetime.TotalSeconds / 2)));
        return bearer;
    }

    private static AuthenticationHeaderValue BasicHeader(RegistryCredential credential) =>
        new(AuthChallenge.Basic, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));

    private static bool IsWrite(HttpMethod method) => method != HttpMethod.Get && method != HttpMethod.Head;

    private static string RepositoryOf(Uri uri) =>
        RepositoryPath().Match(uri.AbsolutePath) is { Success: true } match ? match.Groups["repository"].Value : string.Empty;

    [GeneratedRegex("^/v2/(?<repository>.+?)/(?:manifests|blobs|tags)/", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPath();
}
