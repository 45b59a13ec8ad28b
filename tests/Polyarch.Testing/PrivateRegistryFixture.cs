using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Polyarch.Testing;

/// <summary>
/// xunit collection fixture: the container host plus scripts/private-registry.sh's registries at a non-loopback
/// address — TLS from a private CA with htpasswd auth, and plain HTTP — started by the script itself (idempotent),
/// a temporary DOCKER_CONFIG whose <c>auths</c> hold the TLS registry's credentials, and one single-platform
/// image per architecture copied into each registry (the sources of manifest tests). Fails loudly when the
/// script cannot bring the registries up; never skips.
/// </summary>
public sealed class PrivateRegistryFixture : IAsyncLifetime
{
    private static readonly string[] Architectures = ["amd64", "arm64", "ppc64le"];
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);

    /// <summary>host:port of the TLS + basic-auth registry, e.g. registry.polyarch.test:5443.</summary>
    public string TlsRegistry => _settings["POLYARCH_PRIVATE_REGISTRY"];

    /// <summary>host:port of the plain-HTTP registry at the same non-loopback address.</summary>
    public string PlainRegistry => _settings["POLYARCH_PRIVATE_REGISTRY_PLAIN"];

    /// <summary>The host name both registries answer at.</summary>
    public string HostName => TlsRegistry[..TlsRegistry.LastIndexOf(':')];

    /// <summary>The non-loopback address they listen on (198.18.0.2).</summary>
    public string Address => _settings["POLYARCH_PRIVATE_REGISTRY_ADDRESS"];

    /// <summary>The private CA's certificate (PEM).</summary>
    public string CaFile => _settings["POLYARCH_PRIVATE_REGISTRY_CA"];

    /// <summary>The TLS registry's user.</summary>
    public string User => _settings["POLYARCH_PRIVATE_REGISTRY_USER"];

    /// <summary>The TLS registry's password.</summary>
    public string Password { get; private set; } = string.Empty;

    /// <summary>A DOCKER_CONFIG directory whose config.json has an <c>auths</c> entry for <see cref="TlsRegistry"/>.</summary>
    public string DockerConfigDirectory { get; } = Directory.CreateTempSubdirectory("polyarch-test-docker-config-").FullName;

    /// <summary>The repository (without registry) that holds one image per architecture, tagged by architecture.</summary>
    public string SeedRepository { get; } = $"seed/{TestRun.Id}";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await ContainerHost.EnsureUpAsync();
        var script = RepositoryRoot.Combine("scripts", "private-registry.sh");
        var up = await Cli.Wrap(script).WithArguments(["up"]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(Encoding.UTF8);
        if (up.ExitCode != 0)
        {
            throw new ContainerHostMissingException(
                $"'scripts/private-registry.sh up' failed (exit {up.ExitCode}):\n{up.StandardOutput}\n{up.StandardError}");
        }

        var env = await Cli.Wrap(script).WithArguments(["env"]).ExecuteBufferedAsync(Encoding.UTF8);
        foreach (var line in env.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            _settings[line[..equals]] = line[(equals + 1)..];
        }

        Password = (await File.ReadAllTextAsync(_settings["POLYARCH_PRIVATE_REGISTRY_PASSWORD_FILE"])).Trim();
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        await File.WriteAllTextAsync(Path.Combine(DockerConfigDirectory, "config.json"),
            new System.Text.Json.Nodes.JsonObject
            {
                ["auths"] = new System.Text.Json.Nodes.JsonObject { [TlsRegistry] = new System.Text.Json.Nodes.JsonObject { ["auth"] = auth } },
            }.ToJsonString());

        foreach (var architecture in Architectures)
        {
            await SkopeoCopyAsync(architecture, $"{TlsRegistry}/{SeedRepository}:{architecture}",
                ["--dest-cert-dir", CertDirectory(), "--dest-creds", $"{User}:{Password}"]);
            await SkopeoCopyAsync(architecture, $"{PlainRegistry}/{SeedRepository}:{architecture}", ["--dest-tls-verify=false"]);
        }
    }

    /// <summary>A directory holding only ca.crt (what skopeo's --cert-dir takes).</summary>
    public string CertDirectory()
    {
        var directory = Path.Combine(DockerConfigDirectory, "certs");
        Directory.CreateDirectory(directory);
        File.Copy(CaFile, Path.Combine(directory, "ca.crt"), overwrite: true);
        return directory;
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        // The registries stay up for the next collection or run (scripts/private-registry.sh down stops them).
        Directory.Delete(DockerConfigDirectory, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task SkopeoCopyAsync(string architecture, string destination, string[] destinationOptions)
    {
        // distribution 2.8 answers an occasional transient 500 (container-host notes): three attempts.
        for (var attempt = 1; ; attempt++)
        {
            var error = await TrySkopeoCopyAsync(architecture, destination, destinationOptions);
            if (error is null)
            {
                return;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"skopeo copy of {HostSettings.BaseImage} ({architecture}) to {destination} failed {attempt} times:\n{error}");
            }

            await Task.Delay(TimeSpan.FromSeconds(attempt));
        }
    }

    private static async Task<string?> TrySkopeoCopyAsync(string architecture, string destination, string[] destinationOptions)
    {
        var result = await Cli.Wrap("skopeo")
            .WithArguments([
                "copy", "--override-arch", architecture, "--override-os", "linux", "--src-tls-verify=false",
                .. destinationOptions, "--", $"docker://{HostSettings.BaseImage}", $"docker://{destination}",
            ])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);
        return result.ExitCode == 0 ? null : result.StandardError;
    }
}
