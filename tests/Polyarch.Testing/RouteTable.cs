using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Polyarch.Testing;

/// <summary>Every endpoint a running service maps (its route table), with a concrete path to call each one with.</summary>
public static class RouteTable
{
    /// <summary>One (method, route) of the table; <see cref="Anonymous"/> when it is mapped with AllowAnonymous().</summary>
    public sealed record Entry(string Method, string Pattern, string SamplePath, bool Anonymous)
    {
        /// <inheritdoc />
        public override string ToString() => $"{Method} {Pattern}";
    }

    /// <summary>The endpoints of the host's route table (every method of each), read from its EndpointDataSource.</summary>
    public static IReadOnlyList<Entry> Read(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => new Entry(
                method,
                endpoint.RoutePattern.RawText ?? Sample(endpoint.RoutePattern),
                Sample(endpoint.RoutePattern),
                endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)))
            .Distinct()
            .OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)];

    /// <summary>The path as mapped and the case variants routing also matches: all upper, first segment upper, last literal upper, alternating.</summary>
    public static IReadOnlyList<string> CaseVariants(string path)
    {
        var segments = path.Split('/');
        var firstUpper = string.Join('/', segments.Select((s, i) => i == 1 ? s.ToUpperInvariant() : s));
        var lastUpper = string.Join('/', segments.Select((s, i) => i == segments.Length - 1 ? s.ToUpperInvariant() : s));
        var alternating = new StringBuilder(path.Length);
        var letter = 0;
        foreach (var c in path)
        {
            alternating.Append(char.IsLetter(c) && letter++ % 2 == 0 ? char.ToUpperInvariant(c) : c);
        }

        return new[] { path, path.ToUpperInvariant(), firstUpper, lastUpper, alternating.ToString() }.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Calls <paramref name="method"/> <paramref name="path"/> with a small JSON body for POST/PUT and the bearer key if given.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string path, string? key)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await http.SendAsync(request).ConfigureAwait(false);
    }

    private static string Sample(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { Name: "documentName" } => "v1",
            RoutePatternParameterPart parameter => "sample" + parameter.Name.ToLower(CultureInfo.InvariantCulture),
            _ => throw new NotSupportedException($"Route part {part.GetType().Name} of '{pattern.RawText}'."),
        }))));
}
