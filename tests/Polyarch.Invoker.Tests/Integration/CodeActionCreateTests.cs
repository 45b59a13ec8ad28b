using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.AspNetCore.Builder;
using Polyarch.Invoker.Hosting;
using Polyarch.Invoker.Tests.Support;
using Polyarch.Testing;
using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>Creating code actions with the real executable (--code PATH) and over REST (code, binary, main): kinds, digests, the size cap.</summary>
[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CodeActionCreateTests(InvokerEngineFixture fixture) : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-code-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Code_over_the_cap_is_refused_at_create_with_exit_2_naming_the_size_the_cap_and_the_option()
    {
        var file = Path.Combine(_state, "big.py");
        await File.WriteAllTextAsync(file, new string('#', 2000) + "\n");

        var result = await RunAsync(["actions", "create", "big", "--image", fixture.RecorderRuntimeImage, "--code", file], maxCodeBytes: 1024);

        result.ExitCode.ShouldBe(2, result.StandardError);
        result.StandardError.ShouldContain("2001 bytes");
        result.StandardError.ShouldContain("the cap is 1024 bytes");
        result.StandardError.ShouldContain("Invoker:MaxCodeBytes");
        (await RunAsync(["actions", "get", "big"])).ExitCode.ShouldBe(1, "nothing was stored");
    }

    [Fact]
    public async Task Get_shows_the_codes_kind_size_sha256_and_main_and_the_code_only_when_asked()
    {
        var file = Path.Combine(_state, "hello.py");
        const string source = "def greet(args):\n    return {\"secret-looking\": \"source\"}\n";
        await File.WriteAllTextAsync(file, source);

        var create = await RunAsync(["actions", "create", "hello", "--image", fixture.RecorderRuntimeImage, "--code", file, "--main", "greet"]);
        var get = await RunAsync(["actions", "get", "hello"]);
        var json = await RunAsync(["actions", "get", "hello", "--output", "json"]);
        var shown = await RunAsync(["actions", "get", "hello", "--show-code"]);

        create.ExitCode.ShouldBe(0, create.StandardError);
        var sha = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)));
        get.StandardOutput.ShouldContain($"code:      text, {Encoding.UTF8.GetByteCount(source)} bytes, {sha}");
        get.StandardOutput.ShouldContain("main:      greet");
        get.StandardOutput.ShouldNotContain("secret-looking");
        var code = JsonNode.Parse(json.StandardOutput)!["code"]!;
        code["sha256"]!.GetValue<string>().ShouldBe(sha);
        code["kind"]!.GetValue<string>().ShouldBe("text");
        code["content"].ShouldBeNull();
        shown.StandardOutput.ShouldContain(source.TrimEnd());
    }

    [Fact]
    public async Task A_notebook_is_text_a_directory_and_a_tar_gz_are_zips()
    {
        var notebook = Path.Combine(_state, "train.ipynb");
        await File.WriteAllTextAsync(notebook, """{"cells": [{"cell_type": "code", "source": ["result = {}"], "metadata": {}}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""");
        var directory = Directory.CreateDirectory(Path.Combine(_state, "pkg")).FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "__main__.py"), "def main(args):\n    return args\n");
        var tarGz = Path.Combine(_state, "pkg.tar.gz");
        await using (var file = File.Create(tarGz))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            await TarFile.CreateFromDirectoryAsync(directory, gzip, includeBaseDirectory: false);
        }

        (await RunAsync(["actions", "create", "nb", "--image", fixture.RecorderRuntimeImage, "--code", notebook])).ExitCode.ShouldBe(0);
        (await RunAsync(["actions", "create", "dir", "--image", fixture.RecorderRuntimeImage, "--code", directory])).ExitCode.ShouldBe(0);
        (await RunAsync(["actions", "create", "tgz", "--image", fixture.RecorderRuntimeImage, "--code", tarGz])).ExitCode.ShouldBe(0);

        Code("nb")["kind"]!.GetValue<string>().ShouldBe("notebook");
        foreach (var name in new[] { "dir", "tgz" })
        {
            var code = Code(name, show: true);
            code["kind"]!.GetValue<string>().ShouldBe("binary");
            using var zip = new ZipArchive(new MemoryStream(Convert.FromBase64String(code["content"]!.GetValue<string>())));
            zip.Entries.Select(e => e.FullName).ShouldContain("__main__.py");
            using var reader = new StreamReader(zip.GetEntry("__main__.py")!.Open());
            (await reader.ReadToEndAsync()).ShouldBe("def main(args):\n    return args\n");
        }

        JsonNode Code(string name, bool show = false) =>
            JsonNode.Parse(RunAsync(show ? ["actions", "get", name, "--output", "json", "--show-code"] : ["actions", "get", name, "--output", "json"]).GetAwaiter().GetResult().StandardOutput)!["code"]!;
    }

    [Fact]
    public async Task Rest_takes_code_beyond_the_request_body_limit_refuses_it_over_the_cap_with_400_and_hides_it_on_get()
    {
        await using var app = ServeCommand.Build(
            [$"--Invoker:InstanceId=t{TestRun.Id}-code-rest", $"--Invoker:StateDirectory={_state}", "--Invoker:MaxCodeBytes=3000000"],
            "http://127.0.0.1:0");
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.ListeningAddress()) };
        var bigButAllowed = "# " + new string('x', 2 * 1024 * 1024) + "\n";

        var put = await http.PutAsJsonAsync("/v1/actions/big", new { image = fixture.RecorderRuntimeImage, code = bigButAllowed });
        var over = await http.PutAsJsonAsync("/v1/actions/over", new { image = fixture.RecorderRuntimeImage, code = bigButAllowed + bigButAllowed });
        var zip = await http.PutAsJsonAsync("/v1/actions/zip", new { image = fixture.RecorderRuntimeImage, code = Convert.ToBase64String([(byte)'P', (byte)'K', 3, 4, 0]), binary = true, main = "run" });
        var notBase64 = await http.PutAsJsonAsync("/v1/actions/bad", new { image = fixture.RecorderRuntimeImage, code = "not base64!", binary = true });
        var get = await http.GetFromJsonAsync<JsonObject>("/v1/actions/big");
        var getWithCode = await http.GetFromJsonAsync<JsonObject>("/v1/actions/zip?code=true");

        put.StatusCode.ShouldBe(HttpStatusCode.OK, "a body over Service:MaxRequestBodyBytes (1 MiB) is fine for code under Invoker:MaxCodeBytes");
        over.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await over.Content.ReadAsStringAsync();
        error.ShouldContain("is 4194310 bytes");
        error.ShouldContain("the cap is 3000000 bytes");
        error.ShouldContain("Invoker:MaxCodeBytes");
        zip.StatusCode.ShouldBe(HttpStatusCode.OK, await zip.Content.ReadAsStringAsync());
        notBase64.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        get!["code"]!["size"]!.GetValue<long>().ShouldBe(bigButAllowed.Length);
        get["code"]!["content"].ShouldBeNull();
        getWithCode!["code"]!["kind"]!.GetValue<string>().ShouldBe("binary");
        getWithCode["code"]!["main"]!.GetValue<string>().ShouldBe("run");
        getWithCode["code"]!["content"]!.GetValue<string>().ShouldBe(Convert.ToBase64String([(byte)'P', (byte)'K', 3, 4, 0]));
        await app.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private Task<BufferedCommandResult> RunAsync(string[] arguments, long? maxCodeBytes = null) =>
        Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, "polyarch-invoker.dll"), .. arguments])
            .WithEnvironmentVariables(env =>
            {
                env.Set("POLYARCH_STATE_DIR", _state)
                    .Set("POLYARCH_Invoker__InstanceId", $"t{TestRun.Id}-cli")
                    .Set($"POLYARCH_Docker__ExtraLabels__{TestRun.LabelKey}", TestRun.Id);
                if (maxCodeBytes is { } max)
                {
                    env.Set("POLYARCH_Invoker__MaxCodeBytes", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);
}
