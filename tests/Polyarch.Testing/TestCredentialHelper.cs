using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Polyarch.Testing;

/// <summary>
/// A docker credential helper of the tests' own, docker-credential-NAME in a temporary directory: a shell script that
/// speaks the docker-credential-helpers protocol (store / get / erase / list) and keeps what it is given in files next to
/// itself. Put <see cref="Directory"/> on PATH (docker login) or in Registry:CredentialHelperDirectory (Polyarch).
/// </summary>
public sealed class TestCredentialHelper : IDisposable
{
    // Keys are a hash of the server URL so any URL makes a file name; calls.log records actions and server URLs, never secrets.
    private const string Script = """
        #!/bin/sh
        set -eu
        here=$(dirname "$0")
        mkdir -p "$here/store"
        key() { printf %s "$1" | sha256sum | cut -c1-32; }
        input=$(cat)
        case "${1:-}" in
          store)
            url=$(printf %s "$input" | sed -n 's/.*"ServerURL": *"\([^"]*\)".*/\1/p')
            echo "store $url" >> "$here/calls.log"
            printf %s "$input" > "$here/store/$(key "$url")" ;;
          get)
            echo "get $input" >> "$here/calls.log"
            if [ -f "$here/store/$(key "$input")" ]; then cat "$here/store/$(key "$input")"; else echo "credentials not found in native keychain"; exit 1; fi ;;
          erase)
            echo "erase $input" >> "$here/calls.log"
            rm -f "$here/store/$(key "$input")" ;;
          list) echo '{}' ;;
          *) echo "unknown action: ${1:-}" >&2; exit 2 ;;
        esac
        """;

    public TestCredentialHelper(string name = "polyarch-test", string? script = null)
    {
        Name = name;
        Directory = System.IO.Directory.CreateTempSubdirectory("polyarch-credential-helper-").FullName;
        var path = Path.Combine(Directory, $"docker-credential-{name}");
        File.WriteAllText(path, (script ?? Script).ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The NAME in docker-credential-NAME (what credsStore and credHelpers say).</summary>
    public string Name { get; }

    /// <summary>The directory holding the helper.</summary>
    public string Directory { get; }

    /// <summary>PATH with <see cref="Directory"/> first, for the processes that should find the helper.</summary>
    public string SearchPath => Directory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");

    /// <summary>Every call the helper has answered: "get SERVER", "store SERVER", "erase SERVER".</summary>
    public IReadOnlyList<string> Calls =>
        File.Exists(Path.Combine(Directory, "calls.log")) ? File.ReadAllLines(Path.Combine(Directory, "calls.log")) : [];

    /// <summary>Stores credentials as `docker login` would through the helper (Username "&lt;token&gt;" stores an identity token).</summary>
    public void Seed(string serverUrl, string username, string secret)
    {
        var json = new JsonObject { ["ServerURL"] = serverUrl, ["Username"] = username, ["Secret"] = secret }.ToJsonString();
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "store"));
        File.WriteAllText(Path.Combine(Directory, "store", Key(serverUrl)), json);
    }

    /// <summary>Whether the helper holds something for the server URL.</summary>
    public bool Holds(string serverUrl) => File.Exists(Path.Combine(Directory, "store", Key(serverUrl)));

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static string Key(string serverUrl) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(serverUrl)))[..32];
}
