using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Playwright;
using Polyarch.Testing;

namespace Polyarch.Dashboard.Tests;

/// <summary>
/// The real thing, once per test class: polyarch-builder serve and polyarch-invoker serve (API keys required) on free
/// loopback ports with a private state directory; three real builds through the builder's CLI — the echo example for
/// linux/amd64, arm64 and ppc64le; the same with a step that fails on ppc64le; the same for amd64 and arm64 only —
/// and Debian's chromium driven by Playwright.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly List<Process> _services = [];
    private readonly StringBuilder _serviceOutput = new();

    public string StateDirectory { get; } = Directory.CreateTempSubdirectory("polyarch-dashboard-").FullName;

    public string InvokerUrl { get; private set; } = string.Empty;

    public string ApiKey { get; private set; } = string.Empty;

    public string Repository { get; } = $"dashboard-test/echo-{TestRun.Id}";

    /// <summary>The three-platform build (all green).</summary>
    public BuildOutcome Green { get; private set; } = null!;

    /// <summary>The build whose ppc64le step fails.</summary>
    public BuildOutcome Broken { get; private set; } = null!;

    /// <summary>A build for linux/amd64 and linux/arm64 only: the image lacking ppc64le.</summary>
    public BuildOutcome TwoPlatforms { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>A browser state signed in through the login form (the cookie), shared by the page tests.</summary>
    public string SignedInState { get; private set; } = string.Empty;

    public static string Bin(string executable) => Path.Combine(AppContext.BaseDirectory, executable + ".dll");

    public async Task InitializeAsync()
    {
        await ContainerHost.EnsureUpAsync();
        if (!File.Exists(Chromium))
        {
            throw new ContainerHostMissingException($"Debian's chromium is not installed ({Chromium}); run {HostSettings.UpCommand}");
        }

        var builderPort = FreePort();
        var invokerPort = FreePort();
        var builderUrl = $"http://127.0.0.1:{builderPort}";
        InvokerUrl = $"http://127.0.0.1:{invokerPort}";
        Start("polyarch-builder", builderUrl, []);
        Start("polyarch-invoker", InvokerUrl, [("POLYARCH_Dashboard__BuilderUrl", builderUrl), ("POLYARCH_Invoker__InstanceId", $"dash-{TestRun.Id}")]);
        await WaitReadyAsync(builderUrl);
        await WaitReadyAsync(InvokerUrl);
        ApiKey = (await File.ReadAllTextAsync(Path.Combine(StateDirectory, "secrets", "invoker-api.key"))).Trim();

        var green = BuildAsync("green", extraStep: null, "linux/amd64,linux/arm64,linux/ppc64le");
        var broken = BuildAsync("broken", "RUN [ \"$(uname -m)\" != ppc64le ] || { echo 'this function does not support ppc64le' >&2; exit 1; }", "linux/amd64,linux/arm64,linux/ppc64le");
        var two = BuildAsync("two", extraStep: null, "linux/amd64,linux/arm64");
        Green = await green;
        Broken = await broken;
        TwoPlatforms = await two;

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(InvokerUrl + "/");
        await page.FillAsync("#key", ApiKey);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(InvokerUrl + "/");
        SignedInState = await context.StorageStateAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        foreach (var service in _services)
        {
            try
            {
                service.Kill(entireProcessTree: true);
                await service.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            service.Dispose();
        }

        // Containers the invoker started carry its instance id; remove them whatever happened.
        var ids = (await Cli.Wrap(HostSettings.DockerCli).WithArguments(["ps", "-aq", "--filter", $"label=io.polyarch.instance=dash-{TestRun.Id}"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync()).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length > 0)
        {
            await Cli.Wrap(HostSettings.DockerCli).WithArguments(["rm", "-f", .. ids]).WithValidation(CommandResultValidation.None).ExecuteAsync();
        }

        // The invoker pulled the run's images by digest: the engine would keep them for good (unique names each run).
        await Engine.RemoveImagesStartingWithAsync($"{HostSettings.Registry}/{Repository}");
        Directory.Delete(StateDirectory, recursive: true);
    }

    /// <summary>A browser context signed in with the dashboard cookie.</summary>
    public Task<IBrowserContext> SignedInContextAsync(bool bypassCsp = false) =>
        Browser.NewContextAsync(new() { StorageState = SignedInState, BaseURL = InvokerUrl, BypassCSP = bypassCsp, ViewportSize = new() { Width = 1400, Height = 900 } });

    /// <summary>The environment of a CLI that shares this state directory.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["POLYARCH_STATE_DIR"] = StateDirectory,
        ["POLYARCH_Invoker__InstanceId"] = $"dash-{TestRun.Id}",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    public string Output => _serviceOutput.ToString();

    private void Start(string executable, string url, IEnumerable<(string Name, string Value)> settings)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Bin(executable), "serve", "--urls", url })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["POLYARCH_STATE_DIR"] = StateDirectory;
        start.Environment["POLYARCH_Service__RequireApiKey"] = "true";
        start.Environment["POLYARCH_Triggers__DefaultRegistry"] = HostSettings.Registry;
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(executable, e.Data);
        process.ErrorDataReceived += (_, e) => Append(executable, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _services.Add(process);
    }

    private void Append(string source, string? line)
    {
        if (line is not null)
        {
            lock (_serviceOutput)
            {
                _serviceOutput.Append(source).Append(": ").AppendLine(line);
            }
        }
    }

    private async Task WaitReadyAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            try
            {
                if ((await http.GetAsync(url + "/readyz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not up yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{url} did not become ready in 60 s:\n{Output}");
    }

    /// <summary>The echo example in a new git repository (a unique commit), built by `polyarch-builder build` into this state directory.</summary>
    public async Task<BuildOutcome> BuildAsync(string name, string? extraStep, string platforms)
    {
        var source = Directory.CreateTempSubdirectory($"polyarch-dashboard-{name}-").FullName;
        try
        {
            CopyDirectory(RepositoryRoot.Combine("examples", "echo"), source);
            if (extraStep is not null)
            {
                var dockerfile = Path.Combine(source, "Dockerfile");
                var text = await File.ReadAllTextAsync(dockerfile);
                await File.WriteAllTextAsync(dockerfile, text.Replace("COPY action/ /action/", "COPY action/ /action/\n" + extraStep, StringComparison.Ordinal));
            }

            await File.WriteAllTextAsync(Path.Combine(source, "BUILD_ID"), $"{TestRun.Id}-{name}\n");
            foreach (var arguments in new[] { new[] { "init", "-q", "-b", "main" }, ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@polyarch.invalid", "commit", "-qm", name] })
            {
                await Cli.Wrap("git").WithArguments(arguments).WithWorkingDirectory(source).ExecuteBufferedAsync();
            }

            var commit = (await Cli.Wrap("git").WithArguments(["rev-parse", "HEAD"]).WithWorkingDirectory(source).ExecuteBufferedAsync()).StandardOutput.Trim();
            var result = await Cli.Wrap("dotnet")
                .WithArguments([Bin("polyarch-builder"), "build", source, "--registry", HostSettings.Registry, "--repository", $"{Repository}-{name}", "--platforms", platforms, "--output", "json"])
                .WithEnvironmentVariables(Environment)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync();
            return new BuildOutcome($"{HostSettings.Registry}/{Repository}-{name}", commit, result.ExitCode, result.StandardOutput, result.StandardError);
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = file.Replace(from, to, StringComparison.Ordinal);
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
