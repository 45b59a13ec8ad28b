using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polyarch.Registry.Client;
using Polyarch.Registry.Http;

namespace Polyarch.Registry.Auth;

/// <summary>
/// Speaks the docker-credential-helpers protocol: `docker-credential-NAME get` with the server URL on stdin answers
/// {"ServerURL","Username","Secret"} on stdout; Username "&lt;token&gt;" means the secret is an identity token.
/// </summary>
internal sealed class CredentialHelper
{
    // What every helper prints (exit code 1) when it has nothing for the server (docker-credential-helpers credentials/error.go).
    private const string NotFoundMessage = "credentials not found";
    private const string IdentityTokenUsername = "<token>";

    private readonly string? _directory;
    private readonly TimeSpan _timeout;
    private readonly ILogger<CredentialHelper> _logger;

    public CredentialHelper(IOptions<RegistryOptions> options, ILogger<CredentialHelper> logger)
    {
        _directory = options.Value.CredentialHelperDirectory;
        _timeout = options.Value.CredentialHelperTimeout;
        _logger = logger;
    }

    /// <summary>Where docker-credential-NAME is looked for: Registry:CredentialHelperDirectory, then PATH.</summary>
    public IReadOnlyList<string> SearchPath =>
        [.. new[] { _directory }.Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            .Where(d => !string.IsNullOrEmpty(d)).Select(d => d!)];

    public async Task<RegistryCredential?> GetAsync(string name, string serverUrl, string registry, string source, CancellationToken cancellationToken)
    {
        var program = $"docker-credential-{name}";
        var path = SearchPath.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists)
            ?? throw new CredentialHelperException(program, registry,
                $"named by {source} is not installed: it is neither in Registry:CredentialHelperDirectory nor on PATH ({string.Join(Path.PathSeparator, SearchPath)})",
                $"Install {program} on PATH (or point Registry:CredentialHelperDirectory at it), or remove \"{name}\" from {source} and run `docker login {registry}` again.");

        RegistryLog.AskingCredentialHelper(_logger, program, registry);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap(path)
                .WithArguments(["get"])
                .WithStandardInputPipe(PipeSource.FromString(serverUrl))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(Encoding.UTF8, timeout.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CredentialHelperException(program, registry, $"({path}) did not answer within {_timeout}",
                $"Check that `echo {serverUrl} | {program} get` answers at once (a locked keychain waits for a password), or raise Registry:CredentialHelperTimeout.",
                exception);
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            throw new CredentialHelperException(program, registry, $"({path}) could not be started: {exception.Message}",
                $"Make {path} executable (chmod +x) or reinstall it.", exception);
        }

        if (result.ExitCode != 0)
        {
            // On failure a helper prints an error message, never the secret.
            var output = Tail($"{result.StandardOutput.Trim()} {result.StandardError.Trim()}".Trim());
            if (output.Contains(NotFoundMessage, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            throw new CredentialHelperException(program, registry, $"({path}) failed with exit code {result.ExitCode}: {output}",
                $"Run `echo {serverUrl} | {program} get` to see why, then `docker login {registry}` again.");
        }

        CredentialHelperAnswer? answer;
        try
        {
            answer = JsonSerializer.Deserialize(result.StandardOutput, DockerConfigJsonContext.Default.CredentialHelperAnswer);
        }
        catch (JsonException exception)
        {
            // The output may hold the secret: name the problem, not the text.
            throw new CredentialHelperException(program, registry, $"({path}) answered something that is not the protocol's JSON ({exception.Message})",
                "It must print {\"ServerURL\":…,\"Username\":…,\"Secret\":…}; check that it is a docker credential helper.", exception);
        }

        if (answer is null || string.IsNullOrEmpty(answer.Secret))
        {
            return null;
        }

        return answer.Username == IdentityTokenUsername
            ? new RegistryCredential { IdentityToken = answer.Secret }
            : new RegistryCredential { Username = answer.Username ?? string.Empty, Password = answer.Secret };
    }

    private static string Tail(string text) => text.Length <= 400 ? text : "…" + text[^400..];
}
