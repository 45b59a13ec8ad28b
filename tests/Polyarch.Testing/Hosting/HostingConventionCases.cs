using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;
using Shouldly;

namespace Polyarch.Testing.Hosting;

/// <summary>
/// Issue 19 item 1: the hosting convention both services follow, as THE SAME cases run against each (a derived class
/// per service, in its test project, gives the <see cref="ServiceUnderTest"/>). Derived classes belong to a
/// collection without parallelism: `serve` sets the process-wide Serilog logger.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public abstract class HostingConventionCases : IDisposable
{
    /// <summary>Beyond loopback and on no interface of this machine (198.18.0.0/15 is for network tests): nothing may ever listen on it.</summary>
    private const string RemoteUrls = "http://198.18.0.1:0";
    private const string Key = "hosting-convention-test-key-0123456789";

    private readonly string _state = Directory.CreateTempSubdirectory("polyarch-hosting-").FullName;

    protected HostingConventionCases(ServiceUnderTest service) => Service = service;

    protected ServiceUnderTest Service { get; }

    public static TheoryData<string, string> ControlCharacters => new()
    {
        { "/v1/x\nFORGED", "/v1/x\\nFORGED" },
        { "a\r\nb", "a\\r\\nb" },
        { "tab\there", "tab\\there" },
        { "\u001b[31mred", "\\u001b[31mred" },
        { "nul\0", "nul\\u0000" },
        { "del\u007f", "del\\u007f" },
        { "nel\u0085", "nel\\u0085" },
        { "ls\u2028ps\u2029", "ls\\u2028ps\\u2029" },
        { "plain /v1/x?y=%0A é ü 漢", "plain /v1/x?y=%0A é ü 漢" },
    };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task RequireApiKey_DeniesByDefault_GeneratesTheKeyFile0600_AndAcceptsOnlyThatKey()
    {
        await using var serve = await Service.StartAsync(_state, ["--Service:RequireApiKey=true"]);
        var keyFile = Path.Combine(_state, "secrets", Service.ApiKeyFileName);
        File.Exists(keyFile).ShouldBeTrue("the key is generated at start-up so scripts can read it before the first call");
        File.GetUnixFileMode(keyFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var key = (await File.ReadAllTextAsync(keyFile)).Trim();
        key.Length.ShouldBeGreaterThanOrEqualTo(32);

        using (var anonymous = await serve.Http.GetAsync(Service.ProtectedPath))
        {
            anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            anonymous.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
            (await ErrorOf(anonymous)).ShouldBe(HostingMessages.MissingApiKey(Service.Name));
        }

        (await GetAsync(serve, Service.ProtectedPath.ToUpperInvariant(), bearer: null)).ShouldBe(HttpStatusCode.Unauthorized);
        (await GetAsync(serve, "/METRICS", bearer: null)).ShouldBe(HttpStatusCode.Unauthorized);
        (await GetAsync(serve, Service.ProtectedPath, bearer: key + "x")).ShouldBe(HttpStatusCode.Unauthorized);
        (await GetAsync(serve, Service.ProtectedPath, bearer: key)).ShouldBe(HttpStatusCode.OK);
        (await GetAsync(serve, "/metrics", bearer: key)).ShouldBe(HttpStatusCode.OK);
        (await GetAsync(serve, "/healthz", bearer: null)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ApiKeyFile_IsWhereTheKeyIsReadFrom()
    {
        var keyFile = Path.Combine(_state, "elsewhere", "api.key");
        Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
        await File.WriteAllTextAsync(keyFile, Key + "\n");

        await using var serve = await Service.StartAsync(_state, ["--Service:RequireApiKey=true", $"--Service:ApiKeyFile={keyFile}"]);

        (await GetAsync(serve, Service.ProtectedPath, bearer: Key)).ShouldBe(HttpStatusCode.OK);
        File.Exists(Path.Combine(_state, "secrets", Service.ApiKeyFileName)).ShouldBeFalse();
    }

    [Fact]
    public async Task ConfigurationFiles_AreReadOnce_WithoutWatchingTheWorkingDirectory()
    {
        // The host's default reload watches the working directory recursively (every directory below $HOME when started there).
        await using var serve = await Service.StartAsync(_state, []);
        var configuration = (Microsoft.Extensions.Configuration.IConfigurationBuilder)serve.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        var files = configuration.Sources.OfType<Microsoft.Extensions.Configuration.FileConfigurationSource>().ToList();
        files.ShouldNotBeEmpty(); // appsettings.json is still read
        files.ShouldAllBe(source => !source.ReloadOnChange);
    }

    [Fact]
    public async Task AllowRemote_WithoutRequireApiKey_IsRefusedAtStartUp_WithTheSameMessage()
    {
        var exception = await Should.ThrowAsync<OptionsValidationException>(
            () => Service.StartAsync(_state, ["--Service:AllowRemote=true"], RemoteUrls));

        exception.Failures.ShouldBe([HostingMessages.AllowRemoteWithoutKey]);
    }

    [Fact]
    public async Task RemoteUrls_WithoutAllowRemote_AreRefusedAtStartUp_WithTheSameMessage()
    {
        var exception = await Should.ThrowAsync<OptionsValidationException>(
            () => Service.StartAsync(_state, ["--Service:RequireApiKey=true"], RemoteUrls));

        exception.Failures.ShouldBe([HostingMessages.RemoteWithoutAllowRemote(RemoteUrls)]);
    }

    [Fact]
    public async Task ShortApiKey_IsRefusedAtStartUp_WithTheSameMessage()
    {
        var exception = await Should.ThrowAsync<OptionsValidationException>(
            () => Service.StartAsync(_state, ["--Service:RequireApiKey=true", "--Service:ApiKey=short"]));

        exception.Failures.ShouldBe([HostingMessages.ShortApiKey(Service.Name)]);
    }

    [Fact]
    public void SecretFile_ConcurrentFirstUse_EndsWithOneSecretEveryoneUses_0600_NoLeftovers()
    {
        const int Contenders = 8;
        for (var round = 0; round < 25; round++)
        {
            var file = Path.Combine(_state, $"round{round}", "secrets", "race.key");
            var secrets = new string[Contenders];
            using var start = new Barrier(Contenders);
            Parallel.For(0, Contenders, new ParallelOptions { MaxDegreeOfParallelism = Contenders }, i =>
            {
                start.SignalAndWait();
                secrets[i] = Service.ReadOrCreateSecret(file);
            });

            secrets.Distinct(StringComparer.Ordinal).Count().ShouldBe(1, $"round {round}: {string.Join(", ", secrets)}");
            File.ReadAllText(file).Trim().ShouldBe(secrets[0]);
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Directory.GetFiles(Path.GetDirectoryName(file)!).ShouldBe([file], "no temporary file stays behind");
        }
    }

    [Fact]
    public async Task TwoServices_StartingAtOnce_OnOneKeyFile_BothUseTheOneKey()
    {
        var keyFile = Path.Combine(_state, "shared", "secrets", Service.ApiKeyFileName);
        string[] settings = ["--Service:RequireApiKey=true", $"--Service:ApiKeyFile={keyFile}"];
        var first = Directory.CreateDirectory(Path.Combine(_state, "first")).FullName;
        var second = Directory.CreateDirectory(Path.Combine(_state, "second")).FullName;

        var services = await Task.WhenAll(Task.Run(() => Service.StartAsync(first, settings)), Task.Run(() => Service.StartAsync(second, settings)));
        try
        {
            var key = (await File.ReadAllTextAsync(keyFile)).Trim();
            foreach (var serve in services)
            {
                (await GetAsync(serve, Service.ProtectedPath, bearer: key)).ShouldBe(HttpStatusCode.OK);
            }
        }
        finally
        {
            foreach (var serve in services)
            {
                await serve.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Readyz_IsAnonymous_And503_NamingTheDependencyThatDoesNotAnswer()
    {
        var closed = $"127.0.0.1:{TestPorts.FreePort()}";
        await using var serve = await Service.StartAsync(_state, ["--Service:RequireApiKey=true", $"--Service:ApiKey={Key}", Service.RegistrySetting(closed)]);

        using var response = await serve.Http.GetAsync("/readyz");

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, text);
        using var body = JsonDocument.Parse(text);
        body.RootElement.GetProperty("status").GetString().ShouldBe("not ready");
        var notReady = body.RootElement.GetProperty("notReady").EnumerateArray().Select(e => e.GetString()).ToList();
        notReady.ShouldContain("registry");
        var checks = body.RootElement.GetProperty("checks").EnumerateArray().ToList();
        checks.Select(c => c.GetProperty("name").GetString()).ShouldBe(Service.ReadinessChecks, ignoreOrder: true);
        var registry = checks.Single(c => c.GetProperty("name").GetString() == "registry");
        registry.GetProperty("ready").GetBoolean().ShouldBeFalse();
        (registry.GetProperty("detail").GetString() ?? "").ShouldContain(closed);
        var store = checks.Single(c => c.GetProperty("name").GetString() == "store");
        store.GetProperty("ready").GetBoolean().ShouldBeTrue(store.GetProperty("detail").GetString());
        notReady.ShouldBe(checks.Where(c => !c.GetProperty("ready").GetBoolean()).Select(c => c.GetProperty("name").GetString()).ToList());
    }

    [Fact]
    public async Task Body_OverServiceMaxRequestBodyBytes_Is413_NamingTheLimitAndTheOption()
    {
        await using var serve = await Service.StartAsync(_state, ["--Service:RequireApiKey=true", $"--Service:ApiKey={Key}", "--Service:MaxRequestBodyBytes=4096"]);
        var (method, path) = Service.BodyEndpoint;
        using var request = new HttpRequestMessage(method, path.ToUpperInvariant())
        {
            Content = new StringContent($$"""{"pad": "{{new string('x', 5000)}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        using var response = await serve.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await ErrorOf(response)).ShouldBe(HostingMessages.BodyTooLarge(4096));
    }

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public void EscapeText_WritesControlCharactersAsEscapes(string value, string expected) =>
        Service.EscapeText(value).ShouldBe(expected);

    [Fact]
    public async Task Request_WithControlCharactersInItsPath_IsLoggedEscaped_OnItsOwnLine()
    {
        var log = Path.Combine(_state, "logs", $"{Service.Name}.log");
        await using (var serve = await Service.StartAsync(_state, ["--Service:RequireApiKey=true", $"--Service:ApiKey={Key}", $"--ServiceLog:Path={log}", "--ServiceLog:ConsoleLevel=Fatal"]))
        {
            (await GetAsync(serve, "/v1/x%0AFORGED-LF%20INF%20all%20good%0D%0AFORGED-CRLF%1B[31m", bearer: null)).ShouldBe(HttpStatusCode.Unauthorized);
            await serve.StopAsync();
        }

        var text = await File.ReadAllTextAsync(log);
        var lines = text.Split('\n');
        lines.ShouldContain(l => l.Contains("/v1/x\\nFORGED-LF INF all good\\r\\nFORGED-CRLF\\u001b[31m", StringComparison.Ordinal), text);
        lines.Where(l => l.Contains("FORGED", StringComparison.Ordinal)).ShouldAllBe(l => l.Contains("/v1/x\\nFORGED-LF", StringComparison.Ordinal), text);
        text.ShouldNotContain("\u001b");
        text.ShouldNotContain("\r");
    }

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RegistryRequests_AreNotLoggedOneByOneAtInformation_UnlessSerilogOverridesAskForThem(bool overridden)
    {
        await ContainerHost.EnsureUpAsync();
        var log = Path.Combine(_state, "logs", $"{Service.Name}.log");
        string[] chatty = ["Polly", "Microsoft.Extensions.Http", "System.Net.Http.HttpClient"];
        await using (var serve = await Service.StartAsync(_state, [
            "--Service:RequireApiKey=true", $"--Service:ApiKey={Key}", $"--ServiceLog:Path={log}", "--ServiceLog:ConsoleLevel=Fatal",
            Service.RegistrySetting(HostSettings.Registry),
            .. overridden ? chatty.Select(c => $"--Serilog:MinimumLevel:Override:{c}=Information") : []]))
        {
            // An image of its own, pushed and then resolved through the service's registry client (its resilience pipeline).
            var client = serve.Services.GetRequiredService<IRegistryClient>();
            var reference = ImageReference.Parse($"{HostSettings.Registry}/polyarch-test/log-levels:{TestRun.Id}-{Service.Name}");
            var config = "{}"u8.ToArray();
            var configDigest = Digest.Compute(config);
            await client.PushBlobAsync(reference, configDigest, config.Length, new MemoryStream(config));
            var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = MediaTypes.OciManifest,
                ["config"] = new Dictionary<string, object> { ["mediaType"] = MediaTypes.OciEmpty, ["digest"] = configDigest.ToString(), ["size"] = config.Length },
                ["layers"] = Array.Empty<object>(),
            });
            await client.PutManifestAsync(reference, manifest, MediaTypes.OciManifest);
            (await client.GetManifestAsync(reference)).ShouldNotBeNull();
            await serve.StopAsync();
        }

        var lines = await File.ReadAllLinesAsync(log);
        var perRequest = lines.Where(l => l.Contains("[INF]", StringComparison.Ordinal) && chatty.Any(c => l.Contains($"] {c}", StringComparison.Ordinal))).ToList();
        if (overridden)
        {
            perRequest.ShouldNotBeEmpty(string.Join('\n', lines));
        }
        else
        {
            perRequest.ShouldBeEmpty(string.Join('\n', perRequest));
        }
    }

    [Fact]
    public async Task LogFormatJson_WritesOneCompactJsonEventPerLine()
    {
        var log = Path.Combine(_state, "logs", $"{Service.Name}.log");
        await using (var serve = await Service.StartAsync(_state, ["--Service:RequireApiKey=true", $"--Service:ApiKey={Key}", $"--ServiceLog:Path={log}", "--ServiceLog:Format=json", "--ServiceLog:ConsoleLevel=Fatal"]))
        {
            (await GetAsync(serve, "/v1/json%0Aline", bearer: null)).ShouldBe(HttpStatusCode.Unauthorized);
            await serve.StopAsync();
        }

        var lines = (await File.ReadAllLinesAsync(log)).Where(l => l.Length > 0).ToList();
        lines.ShouldNotBeEmpty();
        var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var logEvent in events)
        {
            logEvent.TryGetProperty("@t", out _).ShouldBeTrue(logEvent.ToString());
            logEvent.TryGetProperty("@mt", out _).ShouldBeTrue(logEvent.ToString());
        }

        events.Select(e => e.TryGetProperty("RequestPath", out var p) ? p.GetString() : null).ShouldContain("/v1/json\\nline");
    }

    [Fact]
    public void ServiceLog_RollsAtTheSizeLimit_KeepsTheRetainedCount_OwnerOnly()
    {
        var path = Path.Combine(_state, "logs", $"{Service.Name}.log");
        using (var logger = Service.CreateServiceLogger(path, fileSizeLimitBytes: 4096, retainedFileCountLimit: 3))
        {
            for (var i = 0; i < 500; i++)
            {
                logger.Information("Event {Number}: {Padding}", i, new string('x', 60));
            }
        }

        var files = Directory.GetFiles(Path.GetDirectoryName(path)!).Order(StringComparer.Ordinal).ToList();
        files.Count.ShouldBe(3, string.Join(", ", files));
        files.ShouldContain(f => Path.GetFileName(f).StartsWith($"{Service.Name}_", StringComparison.Ordinal));
        // The sink checks the limit before each event, so a file may end one event (< 512 bytes here) past it.
        files.ShouldAllBe(f => new FileInfo(f).Length <= 4096 + 512);
        File.ReadAllText(files[^1]).ShouldContain("Event 499");
        files.ShouldAllBe(f => File.GetUnixFileMode(f) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    private static async Task<HttpStatusCode> GetAsync(RunningService serve, string path, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await serve.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<string?> ErrorOf(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetString();
    }
}
