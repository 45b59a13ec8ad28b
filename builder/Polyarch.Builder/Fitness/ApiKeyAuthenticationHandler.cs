using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Polyarch.Builder.Fitness;

/// <summary>
/// The "ApiKey" authentication scheme: "Authorization: Bearer &lt;API key&gt;" authenticates a caller. The fallback
/// authorization policy requires it on every endpoint that is not marked AllowAnonymous — whatever the path's case.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<BuilderServiceOptions> serviceOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The 401 body's message.</summary>
    public const string Message = "This API needs 'Authorization: Bearer <API key>'; the key is in secrets/builder-api.key in the state directory (or Service:ApiKey).";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!serviceOptions.Value.RequireApiKey)
        {
            // Service:RequireApiKey=false (the default, on loopback): every local caller is trusted, as before.
            return Task.FromResult(Success("local"));
        }

        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(Context.RequestServices.GetRequiredService<BuilderApiKey>().IsAuthorized(authorization)
            ? Success("api-key")
            : AuthenticateResult.Fail("The bearer token is not the API key."));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsJsonAsync(new { error = Message }).ConfigureAwait(false);
    }

    private static AuthenticateResult Success(string name) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName)), SchemeName));
}
