namespace Polyarch.Builder.Tests.Support;

/// <summary>A private copy of Fixtures/fake-docker/docker: what it was called with, and its processes.</summary>
public sealed class FakeDocker : IDisposable
{
    private readonly TempDirectory _directory = new("polyarch-fake-docker-");

    public FakeDocker(string mode = "hang")
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fake-docker", "docker"), ExecutablePath);
        File.SetUnixFileMode(ExecutablePath, (UnixFileMode)0b111_101_101);
        File.WriteAllText(_directory.Combine("mode"), mode);
    }

    public string ExecutablePath => _directory.Combine("docker");

    /// <summary>The same fake as the buildx plugin binary (<c>docker-buildx</c>, commands at its root), sharing this fake's logs.</summary>
    public string PluginPath
    {
        get
        {
            var path = _directory.Combine("docker-buildx");
            if (!File.Exists(path))
            {
                File.Copy(ExecutablePath, path);
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            }

            return path;
        }
    }

    public IReadOnlyList<string> Calls => Read("calls");

    public IReadOnlyList<string> Events => Read("events");

    public IReadOnlyList<int> Pids => [.. Read("pids").Select(int.Parse)];

    /// <summary>What each <c>buildx bake</c> call found in its environment (<c>BUILDX_GIT_INFO=…</c>), in order.</summary>
    public IReadOnlyList<string> BakeEnvironment => Read("bake-env");

    /// <summary>The pids of the <c>buildx bake</c> calls, in order.</summary>
    public IReadOnlyList<int> BakePids => [.. Read("bake-pids").Select(int.Parse)];

    /// <summary>A fake whose bake prints a captured rawjson stream (Fixtures/rawjson/NAME) and exits with <paramref name="exitCode"/>.</summary>
    public static FakeDocker Replaying(string fixture, int exitCode)
    {
        var docker = new FakeDocker("replay");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "rawjson", fixture), docker._directory.Combine("replay.rawjson"));
        File.WriteAllText(docker._directory.Combine("replay.exit"), exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return docker;
    }

    /// <summary>
    /// For a fake in mode <c>push-early</c>: its bake prints <paramref name="rawjson"/> (BuildKit reporting an index pushed),
    /// then goes on until <see cref="Release"/> (10 s at most), writes <paramref name="metadata"/> as bake's metadata file,
    /// notes "bake exiting" and exits with <paramref name="exitCode"/>.
    /// </summary>
    public void PushEarly(string rawjson, string metadata, int exitCode = 0)
    {
        File.WriteAllText(_directory.Combine("early.rawjson"), rawjson);
        File.WriteAllText(_directory.Combine("metadata.json"), metadata);
        File.WriteAllText(_directory.Combine("early.exit"), exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Lets a <see cref="PushEarly"/> bake finish.</summary>
    public void Release() => File.WriteAllText(_directory.Combine("release"), "");

    /// <summary>Waits (bounded, for readiness not speed) until the fake logged an event.</summary>
    public async Task WaitForEventAsync(string text)
    {
        for (var i = 0; i < 600 && !Events.Contains(text); i++)
        {
            await Task.Delay(50);
        }

        Events.ShouldContain(text);
    }

    /// <summary>Waits (bounded, for readiness not speed) until the fake was called with a line starting with <paramref name="prefix"/>.</summary>
    public async Task WaitForCallAsync(string prefix)
    {
        for (var i = 0; i < 600 && !Calls.Any(c => c.StartsWith(prefix, StringComparison.Ordinal)); i++)
        {
            await Task.Delay(50);
        }

        Calls.ShouldContain(c => c.StartsWith(prefix, StringComparison.Ordinal));
    }

    public static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private string[] Read(string name) => File.Exists(_directory.Combine(name)) ? File.ReadAllLines(_directory.Combine(name)) : [];

    public void Dispose() => _directory.Dispose();
}
