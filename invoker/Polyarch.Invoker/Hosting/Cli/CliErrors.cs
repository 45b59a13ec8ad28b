using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>Errors go to stderr; with --output json a machine-readable error object goes to stdout as well.</summary>
internal static class CliErrors
{
    public static async Task<int> ReportAsync(Exception exception, bool json)
    {
        var code = ExitCodes.For(exception);
        await Console.Error.WriteLineAsync($"error: {exception.Message}");
        if (json)
        {
            var error = new JsonObject { ["error"] = exception.Message, ["exitCode"] = code, ["kind"] = exception.GetType().Name };
            if (exception is PlacementException placement)
            {
                error["imagePlatforms"] = new JsonArray([.. placement.ImagePlatforms.Select(p => (JsonNode?)p)]);
                error["backendPlatforms"] = JsonSerializer.SerializeToNode(placement.BackendPlatforms, InvokerJson.Options);
                error["failures"] = new JsonArray([.. placement.Failures.Select(p => (JsonNode?)p)]);
            }

            Console.WriteLine(error.ToJsonString(InvokerJson.Indented));
        }

        return code;
    }

    public static bool IsReportable(Exception exception) =>
        exception is InvokerException or FormatException or HttpRequestException or IOException
            or System.Net.Sockets.SocketException or Docker.DotNet.DockerApiException or TimeoutException
            or Microsoft.Extensions.Options.OptionsValidationException;
}
