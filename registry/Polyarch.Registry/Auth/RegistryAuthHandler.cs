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
/// bearer-token flow of the distribution token spec (GET realm?service=…&amp;scope=… with Basic credentials, or the
/// OAuth2 refresh-token grant when the credential is an identity token), then resends once. When the registry still
/// answers 401, the request carries <see cref="AdviceKey"/>: which sources were tried and the fix.
/// </summary>
internal sealed partial class RegistryAuthHandler : DelegatingHandler
{
    /// <summary>The advice a 401 error should give (never holds a secret).</summary>
    public static readonly HttpRequestOptionsKey<string> AdviceKey = new("Polyarch.Registry.AuthAdvice");

    // Tokens without expires_in are valid for 60 s (distribution token spec).
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BasicLifetime = TimeSpan.FromHours(1);

    // The client id the OAuth2 grant names (docs/spec/auth/oauth.md requires one).
    private const string ClientId = "polyarch";

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

        var lookup = await _credentials.LookupAsync(authority, cancellationToken).ConfigureAwait(false);
        request.Options.Set(AdviceKey, lookup.Advice);
        var header = await AnswerAsync(challenge, request, lookup.Credential, authority, repository, cancellationToken).ConfigureAwait(false);
        if (header is null)
        {
            return response;
        }

        response.Dispose();
        request.Headers.Authorization = header;
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AuthenticationHeaderValue?> AnswerAsync(
        AuthChallenge challenge, HttpRequestMessage request, RegistryCredential? credential, string authority, string repository, CancellationToken cancellationToken)
    {
        if (challenge.Scheme.Equals(AuthChallenge.Basic, StringComparison.OrdinalIgnoreCase))
        {
            // An identity token is only good at a token endpoint.
            if (credential is null || string.IsNullOrEmpty(credential.Username) || credential.IdentityToken is not null)
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
        var service = challenge["service"];
        RegistryLog.FetchingToken(_logger, authority, scope, realm);
        using var tokenRequest = credential?.IdentityToken is { } refreshToken
            ? RefreshTokenGrant(realm, service, scope, refreshToken)
            : TokenGet(realm, service, scope, credential);
        var tokenUri = tokenRequest.RequestUri!;
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
            throw new RegistryRequestException(tokenRequest.Method, tokenUri, tokenResponse.StatusCode, "the token endpoint answered without a token");
        }

        var bearer = new AuthenticationHeaderValue(AuthChallenge.Bearer, value);
        var lifetime = token!.ExpiresIn is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : DefaultTokenLifetime;
        _tokens.Store(authority, repository, bearer, lifetime - TimeSpan.FromSeconds(Math.Min(10, lifetime.TotalSeconds / 2)));
        return bearer;
    }

    // The distribution token spec (docs/spec/auth/token.md): GET realm?service=…&scope=…, Basic credentials if any.
    private static HttpRequestMessage TokenGet(string realm, string? service, string scope, RegistryCredential? credential)
    {
        var query = $"scope={Uri.EscapeDataString(scope)}" + (service is null ? string.Empty : $"&service={Uri.EscapeDataString(service)}");
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(realm + (realm.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query));
        if (credential is { IdentityToken: null } && !string.IsNullOrEmpty(credential.Username))
        {
            request.Headers.Authorization = BasicHeader(credential);
        }

        return request;
    }

    // The OAuth2 refresh-token grant of the distribution token spec (docs/spec/auth/oauth.md): POST realm, form-encoded.
    private static HttpRequestMessage RefreshTokenGrant(string realm, string? service, string scope, string refreshToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", ClientId),
            new("scope", scope),
        };
        if (service is not null)
        {
            form.Add(new("service", service));
        }

        return new HttpRequestMessage(HttpMethod.Post, new Uri(realm)) { Content = new FormUrlEncodedContent(form) };
    }

    private static AuthenticationHeaderValue BasicHeader(RegistryCredential credential) =>
        new(AuthChallenge.Basic, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));

    private static bool IsWrite(HttpMethod method) => method != HttpMethod.Get && method != HttpMethod.Head;

    private static string RepositoryOf(Uri uri) =>
        RepositoryPath().Match(uri.AbsolutePath) is { Success: true } match ? match.Groups["repository"].Value : string.Empty;

    [GeneratedRegex("^/v2/(?<repository>.+?)/(?:manifests|blobs|tags)/", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPath();
}
