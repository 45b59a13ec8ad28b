using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Hosting.Client;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>Errors go to stderr; with --output json (or yaml) a machine-readable error object goes to stdout as well.</summary>
internal static class CliErrors
{
    public static Task<int> ReportAsync(Exception exception, bool json) => ReportAsync(exception, json ? OutputFormat.Json : OutputFormat.Table);

    public static async Task<int> ReportAsync(Exception exception, OutputFormat format)
    {
        var code = ExitCodes.For(exception);
        if (exception is Workflows.InvalidWorkflowException invalid)
        {
            // One line per problem of the definition, each naming the workflow (the same on the local state and from a service).
            foreach (var problem in invalid.Errors)
            {
                await Console.Error.WriteLineAsync($"error: workflow '{invalid.Workflow}': {problem}");
            }
        }
        else
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
        }

        if (format != OutputFormat.Table)
        {
            var error = new JsonObject { ["error"] = exception.Message };
            if (exception is Workflows.InvalidWorkflowException { Errors: var problems })
            {
                error["errors"] = new JsonArray([.. problems.Select(p => (JsonNode?)p)]);
            }

            error["exitCode"] = code;
            error["kind"] = exception.GetType().Name;
            if (exception is PlacementException placement)
            {
                error["imagePlatforms"] = new JsonArray([.. placement.ImagePlatforms.Select(p => (JsonNode?)p)]);
                error["backendPlatforms"] = JsonSerializer.SerializeToNode(placement.BackendPlatforms, InvokerJson.Options);
                error["failures"] = new JsonArray([.. placement.Failures.Select(p => (JsonNode?)p)]);
            }

            StructuredOutput.Write(Console.Out, error, format);
        }

        return code;
    }

    /// <summary>"There is no …" (exit 1): the line on stderr, and with json/yaml the error document on stdout.</summary>
    public static async Task<int> NotFoundAsync(string message, OutputFormat format)
    {
        await Console.Error.WriteLineAsync($"error: {message}");
        if (format != OutputFormat.Table)
        {
            StructuredOutput.Write(Console.Out, new JsonObject { ["error"] = message, ["exitCode"] = ExitCodes.Failed, ["kind"] = "NotFound" }, format);
        }

        return ExitCodes.Failed;
    }

    public static bool IsReportable(Exception exception) =>
        exception is InvokerException or FormatException or HttpRequestException or IOException or ServiceCallException
            or System.Net.Sockets.SocketException or Docker.DotNet.DockerApiException or TimeoutException
            or Microsoft.Extensions.Options.OptionsValidationException;
}
