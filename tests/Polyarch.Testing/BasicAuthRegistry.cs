using System.Net;

namespace Polyarch.Testing;

/// <summary>
/// A real distribution registry that demands basic auth (htpasswd): a <see cref="RegistryInstance"/> with the project's
/// registry config plus an auth block, on a free 127.0.0.1 port.
/// </summary>
public sealed class BasicAuthRegistry : IAsyncLifetime
{
    public const string Username = "tester";
    public const string Password = "polyarch-test-password";

    // bcrypt (distribution accepts nothing else) of Password, cost 4 so the registry checks it quickly; made once with
    // Python's crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)). A test-only credential.
    private const string HtpasswdLine = "tester:$2b$04$0S7K21RxPNcqH66UPTwBteXp3HXeJhI//dvrdmjXgIceQcAU.v8/W";

    private readonly string _directory = Directory.CreateTempSubdirectory("polyarch-auth-registry-").FullName;
    private RegistryInstance? _registry;

    public string Address => _registry?.Address ?? throw new InvalidOperationException("The basic-auth registry has not started (InitializeAsync).");

    public async Task InitializeAsync()
    {
        await ContainerHost.EnsureUpAsync();
        var htpasswd = Path.Combine(_directory, "htpasswd");
        await File.WriteAllTextAsync(htpasswd, HtpasswdLine + "\n");
        var config = Path.Combine(_directory, "config.yml");
        var baseConfig = await File.ReadAllTextAsync(RepositoryRoot.Combine("registry", "distribution", "config.yml"));
        await File.WriteAllTextAsync(config, baseConfig + $"auth:\n  htpasswd:\n    realm: polyarch-test\n    path: {htpasswd}\n");
        _registry = await RegistryInstance.StartAsync(new RegistryLaunch
        {
            ConfigFile = config,
            ReadyStatus = HttpStatusCode.Unauthorized,
            Description = "basic-auth test registry",
        });
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
