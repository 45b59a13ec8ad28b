using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.Indexes;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Builder.Manifests;

/// <summary>Runs a manifest verb and maps failures to exit codes and error output (stderr, and stdout JSON).</summary>
internal static class ManifestCliRunner
{
    public static async Task<int> RunAsync(ParseResult parseResult, string output, Func<TextWriter, Task> action)
    {
        var stdout = parseResult.InvocationConfiguration.Output;
        var stderr = parseResult.InvocationConfiguration.Error;
        try
        {
            await action(stdout);
            return ManifestExitCodes.Success;
        }
        catch (Exception exception) when (exception is RegistryException or OptionsValidationException or OperationCanceledException)
        {
            var exitCode = ExitCodeOf(exception);
            await stderr.WriteLineAsync($"error: {exception.Message}");
            if (ManifestCliOptions.IsStructured(output))
            {
                var error = new ErrorOutput(new ErrorDetail(exception.GetType().Name, exception.Message, exitCode));
                await stdout.WriteLineAsync(ManifestCliOptions.Render(JsonSerializer.Serialize(error, ManifestOutputJsonContext.Output.ErrorOutput), output));
            }

            return exitCode;
        }
    }

    private static int ExitCodeOf(Exception exception) => exception switch
    {
        InvalidReferenceException or InvalidPlatformException or IndexAssemblyException or OptionsValidationException => ManifestExitCodes.BadInput,
        RegistryUnavailableException or CredentialHelperException => ManifestExitCodes.DependencyUnavailable,
        _ => ManifestExitCodes.Failed,
    };
}
