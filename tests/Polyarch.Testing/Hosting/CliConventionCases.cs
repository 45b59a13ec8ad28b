using System.Text.Json;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using Shouldly;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Polyarch.Testing.Hosting;

/// <summary>
/// Issue 19: the conventions both CLIs follow, as THE SAME cases run against each (a derived class per CLI, in its test
/// project): --output validated and yaml the same document as json, --log-format json on every verb with no secret in it,
/// --url / the URL variable / --api-key-file with the same exits and words, shell completion.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public abstract class CliConventionCases : IDisposable
{
    private const string Key = "cli-convention-secret-key-0123456789abcdef";

    private readonly string _state = Directory.CreateTempSubdirectory("polyarch-cli-").FullName;

    protected CliConventionCases(CliUnderTest cli, ServiceUnderTest service)
    {
        Cli = cli;
        Service = service;
    }

    protected CliUnderTest Cli { get; }

    protected ServiceUnderTest Service { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Output_UnknownValue_IsBadUsage_NamingTheAcceptedOnes()
    {
        foreach (var verb in Cli.DocumentVerbs)
        {
            var result = await Cli.RunAsync(_state, null, [.. verb, "--output", "xml"]);

            result.ExitCode.ShouldBe(2, $"{string.Join(' ', verb)}: {result}");
            result.Stderr.ShouldContain("xml", customMessage: string.Join(' ', verb));
            foreach (var accepted in new[] { "table", "json", "yaml" })
            {
                result.Stderr.ShouldContain(accepted, customMessage: $"{string.Join(' ', verb)}: {result}");
            }
        }
    }

    [Fact]
    public async Task Output_Yaml_IsTheSameDocumentAsJson_ForEveryVerb()
    {
        foreach (var verb in Cli.DocumentVerbs)
        {
            var name = string.Join(' ', verb);
            var json = await Cli.RunAsync(_state, null, [.. verb, "--output", "json"]);
            var yaml = await Cli.RunAsync(_state, null, [.. verb, "--output", "yaml"]);

            yaml.ExitCode.ShouldBe(json.ExitCode, $"{name}: {yaml}");
            var expected = JsonNode.Parse(json.Stdout);
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml.Stdout));
            stream.Documents.Count.ShouldBe(1, $"{name}: {yaml}");
            SameDocument(expected, stream.Documents[0].RootNode, name);
        }
    }

    [Fact]
    public async Task LogFormatJson_EveryVerb_WritesOnlyJsonEventsToStderr_AndNoSecret()
    {
        var environment = new Dictionary<string, string> { ["POLYARCH_Service__ApiKey"] = Key };
        var events = 0;
        foreach (var verb in Cli.LoggingVerbs)
        {
            var result = await Cli.RunAsync(_state, environment, [.. verb, "--verbose", "--log-format", "json"]);

            events += JsonEvents(result, string.Join(' ', verb));
            result.Stdout.ShouldNotContain(Key);
        }

        events.ShouldBeGreaterThan(0, "the verbs logged nothing at all: the case would prove nothing");
    }

    [Fact]
    public async Task LogFormatJson_AgainstAService_LogsNoKey()
    {
        await using var serve = await Service.StartAsync(_state, ["--Service:RequireApiKey=true", $"--Service:ApiKey={Key}"]);
        var keyFile = Path.Combine(_state, "key");
        await File.WriteAllTextAsync(keyFile, Key + "\n");

        var result = await Cli.RunAsync(
            _state, null, [.. Cli.RemoteVerb, "--url", serve.Http.BaseAddress!.ToString(), "--api-key-file", keyFile, "--output", "json", "--verbose", "--log-format", "json"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        JsonEvents(result, string.Join(' ', Cli.RemoteVerb));
        result.Stderr.ShouldNotContain(Key);
        result.Stdout.ShouldNotContain(Key);
    }

    [Fact]
    public async Task Url_NobodyAnswers_Exits3_NamingTheUrlAndTheFix()
    {
        var url = $"http://127.0.0.1:{TestPorts.FreePort()}";

        var byOption = await Cli.RunAsync(_state, null, [.. Cli.RemoteVerb, "--url", url, "--output", "json"]);
        var byVariable = await Cli.RunAsync(_state, new Dictionary<string, string> { [Cli.UrlVariable] = url }, Cli.RemoteVerb);

        foreach (var result in new[] { byOption, byVariable })
        {
            result.ExitCode.ShouldBe(3, result.ToString());
            result.Stderr.ShouldContain($"service at {url}/ does not answer");
            result.Stderr.ShouldContain("--url");
        }

        JsonNode.Parse(byOption.Stdout)!.ToJsonString().ShouldContain("does not answer");
    }

    [Fact]
    public async Task Url_WithAWrongKey_Exits2_NamingTheKeyFile()
    {
        await using var serve = await Service.StartAsync(_state, ["--Service:RequireApiKey=true", $"--Service:ApiKey={Key}"]);
        var keyFile = Path.Combine(_state, "wrong.key");
        await File.WriteAllTextAsync(keyFile, "not-the-key-0123456789abcdef\n");

        var result = await Cli.RunAsync(_state, null, [.. Cli.RemoteVerb, "--url", serve.Http.BaseAddress!.ToString(), "--api-key-file", keyFile]);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("refused the API key (401)");
        result.Stderr.ShouldContain(keyFile);
        result.Stderr.ShouldContain("--api-key-file");
    }

    [Fact]
    public async Task CompletionBash_CompletesAVerb()
    {
        var script = await Cli.RunAsync(_state, null, "completion", "bash");
        script.ExitCode.ShouldBe(0, script.ToString());
        var scriptFile = Path.Combine(_state, "completion.bash");
        await File.WriteAllTextAsync(scriptFile, script.Stdout);
        var bin = Cli.WriteShim(Directory.CreateDirectory(Path.Combine(_state, "bin")).FullName);
        var (prefix, verb) = Cli.Completion;
        var function = "_" + Cli.Executable.Replace('-', '_') + "_complete";
        var line = $"{Cli.Executable} {prefix}";

        var result = await CliWrap.Cli.Wrap("bash")
            .WithArguments([
                "-c",
                $"source '{scriptFile}'; COMP_LINE='{line}'; COMP_POINT={line.Length}; COMP_WORDS=({Cli.Executable} {prefix}); COMP_CWORD=1; {function}; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            ])
            .WithEnvironmentVariables(env => env.Set("PATH", $"{bin}:{Environment.GetEnvironmentVariable("PATH")}"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

        result.ExitCode.ShouldBe(0, result.StandardError);
        var candidates = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        candidates.ShouldContain(verb, $"{line} → {string.Join(", ", candidates)}");
        candidates.ShouldAllBe(c => c.StartsWith(prefix, StringComparison.Ordinal));
    }

    private static int JsonEvents(CliResult result, string verb)
    {
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines)
        {
            JsonElement logEvent;
            try
            {
                logEvent = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException)
            {
                throw new ShouldAssertException($"{verb}: a stderr line is not JSON: {line}\n{result}");
            }

            logEvent.TryGetProperty("@t", out _).ShouldBeTrue($"{verb}: {line}");
            (logEvent.TryGetProperty("@mt", out _) || logEvent.TryGetProperty("@m", out _)).ShouldBeTrue($"{verb}: {line}");
        }

        return lines.Length;
    }

    private static void SameDocument(JsonNode? json, YamlNode yaml, string path)
    {
        switch (json)
        {
            case JsonObject o:
                var mapping = yaml.ShouldBeOfType<YamlMappingNode>(path);
                mapping.Children.Select(c => ((YamlScalarNode)c.Key).Value).ShouldBe(o.Select(p => p.Key), path);
                foreach (var (key, value) in o)
                {
                    SameDocument(value, mapping.Children[new YamlScalarNode(key)], $"{path}.{key}");
                }

                break;
            case JsonArray a:
                var sequence = yaml.ShouldBeOfType<YamlSequenceNode>(path);
                sequence.Children.Count.ShouldBe(a.Count, path);
                for (var i = 0; i < a.Count; i++)
                {
                    SameDocument(a[i], sequence.Children[i], $"{path}[{i}]");
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = yaml.ShouldBeOfType<YamlScalarNode>(path);
                text.Value.ShouldBe(v.GetValue<string>(), path);
                // A string YAML would read as a number, a boolean or null must be quoted.
                if (double.TryParse(text.Value, System.Globalization.CultureInfo.InvariantCulture, out _) || text.Value is "true" or "false" or "null" or "")
                {
                    text.Style.ShouldNotBe(ScalarStyle.Plain, path);
                }

                break;
            default:
                var scalar = yaml.ShouldBeOfType<YamlScalarNode>(path);
                scalar.Value.ShouldBe(json?.ToJsonString() ?? "null", path);
                scalar.Style.ShouldBe(ScalarStyle.Plain, path);
                break;
        }
    }
}
