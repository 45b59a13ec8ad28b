using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Polyarch.Runtimes.Tests;

/// <summary>
/// Files in the /run payload (issue 14's files contract), on the real runtime image: the proxy takes
/// <c>"polyarch:files"</c> out of the params, writes the files into a private per-activation directory the helper module
/// <c>polyarch</c> reads, answers the files the action saved under the same key, refuses hostile names and sizes past
/// the cap with an error naming the file, and removes the directory afterwards.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FilesTests(FilesRuntime runtime) : IClassFixture<FilesRuntime>
{
    [Fact]
    public async Task A_file_in_is_read_by_the_action_and_the_files_it_saves_come_back_base64_in_the_answer()
    {
        runtime.Inits.ShouldAllBe(init => init.Status == HttpStatusCode.OK, string.Join("; ", runtime.Inits.Select(i => i.ToString())));
        var binary = RandomNumberGenerator.GetBytes(4096);

        var answer = await runtime.Code.RunAsync(new JsonObject
        {
            ["x"] = 1,
            [ProxyFiles.Key] = ProxyFiles.Of(("a.txt", Encoding.UTF8.GetBytes("hello polyarch")), ("data.bin", binary)),
        });

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.ToString());
        var files = ProxyFiles.In(answer.Body);
        files.Keys.ShouldBe(["direct.txt", "upper-a.txt", "upper-data.bin"], ignoreOrder: true);
        Encoding.UTF8.GetString(files["upper-a.txt"]).ShouldBe("HELLO POLYARCH");
        files["upper-data.bin"].ShouldBe(binary.Select(b => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b).ToArray());
        Encoding.UTF8.GetString(files["direct.txt"]).ShouldBe("written into output_dir()");
        answer.Body!["inputs"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["a.txt", "data.bin"]);
    }

    [Fact]
    public async Task Main_never_sees_the_reserved_key_and_the_files_are_private()
    {
        var answer = await runtime.Code.RunAsync(new JsonObject { ["x"] = 1, ["y"] = "two", [ProxyFiles.Key] = ProxyFiles.OfText(("a.txt", "a")) });

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.ToString());
        answer.Body!["params"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["x", "y"]);
        var modes = answer.Body["modes"]!;
        modes["inputFile"]!.GetValue<string>().ShouldBe("0o600");
        modes["savedFile"]!.GetValue<string>().ShouldBe("0o600");
        modes["inputDir"]!.GetValue<string>().ShouldBe("0o700");
        modes["outputDir"]!.GetValue<string>().ShouldBe("0o700");
        modes["root"]!.GetValue<string>().ShouldBe("0o700");
    }

    [Fact]
    public async Task The_activation_directory_is_gone_after_the_activation()
    {
        var first = await runtime.Code.RunAsync(new JsonObject { [ProxyFiles.Key] = ProxyFiles.OfText(("a.txt", "a")) });
        var root = first.Body!["root"]!.GetValue<string>();

        var next = await runtime.Code.RunAsync(new JsonObject { ["mode"] = "previous", ["dir"] = root });

        next.Body!["exists"]!.GetValue<bool>().ShouldBeFalse($"{root} was left behind");
        root.ShouldStartWith("/tmp/");
    }

    [Fact]
    public async Task An_action_that_saves_nothing_answers_without_the_files_key()
    {
        var answer = await runtime.Code.RunAsync(new JsonObject { ["mode"] = "none", [ProxyFiles.Key] = ProxyFiles.OfText(("a.txt", "a")) });

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.ToString());
        answer.Body!.AsObject().ContainsKey(ProxyFiles.Key).ShouldBeFalse(answer.ToString());
        answer.Body["inputs"]!.AsArray().Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("dir/file.txt")]
    [InlineData(".hidden")]
    [InlineData("-rf")]
    [InlineData("name\n")]
    [InlineData("spa ce.txt")]
    [InlineData("")]
    public async Task A_hostile_input_name_is_refused_naming_the_file_and_the_rule(string name)
    {
        var answer = await runtime.Code.RunAsync(new JsonObject { [ProxyFiles.Key] = ProxyFiles.OfText((name, "x")) });

        answer.Status.ShouldBe(HttpStatusCode.BadGateway, answer.ToString());
        answer.Error.ShouldStartWith("The input file name '" + name.Replace("\n", "\\n", StringComparison.Ordinal) + "' is not allowed");
        answer.Error.ShouldContain("no paths");
    }

    [Fact]
    public async Task A_name_of_129_characters_is_refused_and_128_are_taken()
    {
        var refused = await runtime.Code.RunAsync(new JsonObject { [ProxyFiles.Key] = ProxyFiles.OfText((new string('a', 129), "x")) });
        var taken = await runtime.Code.RunAsync(new JsonObject { ["mode"] = "none", [ProxyFiles.Key] = ProxyFiles.OfText((new string('a', 128), "x")) });

        refused.Status.ShouldBe(HttpStatusCode.BadGateway, refused.ToString());
        refused.Error.ShouldContain("is not allowed");
        taken.Status.ShouldBe(HttpStatusCode.OK, taken.ToString());
    }

    [Fact]
    public async Task A_hostile_output_name_fails_the_activation_naming_the_file()
    {
        var answer = await runtime.Code.RunAsync(new JsonObject { ["mode"] = "save", ["name"] = "../../etc/cron.d/x" });

        answer.Status.ShouldBe(HttpStatusCode.BadGateway, answer.ToString());
        answer.Error.ShouldContain("The output file name '../../etc/cron.d/x' is not allowed");
    }

    [Theory]
    [InlineData("\"not an object\"", "must be a JSON object of file name to base64 content")]
    [InlineData("{\"a.txt\": 42}", "The input file 'a.txt' must be a base64 string")]
    [InlineData("{\"a.txt\": \"not base64!\"}", "The input file 'a.txt' is not valid base64")]
    public async Task Malformed_files_are_refused_with_what_to_send(string files, string expected)
    {
        var answer = await runtime.Code.RunAsync(new JsonObject { [ProxyFiles.Key] = JsonNode.Parse(files) });

        answer.Status.ShouldBe(HttpStatusCode.BadGateway, answer.ToString());
        answer.Error.ShouldContain(expected);
    }

    [Fact]
    public async Task A_result_that_holds_the_reserved_key_itself_is_refused()
    {
        var answer = await runtime.Code.RunAsync(new JsonObject { ["mode"] = "reserved" });

        answer.Status.ShouldBe(HttpStatusCode.BadGateway, answer.ToString());
        answer.Error.ShouldContain("polyarch.save_output");
    }

    [Fact]
    public async Task An_output_dir_the_action_removed_fails_the_activation_saying_what_to_do_and_the_next_one_works()
    {
        var answer = await runtime.Code.RunAsync(new JsonObject { ["mode"] = "rmdir" });

        answer.Status.ShouldBe(HttpStatusCode.BadGateway, answer.ToString());
        answer.Error.ShouldContain("output_dir() cannot be read");
        (await runtime.Code.RunAsync(new JsonObject { [ProxyFiles.Key] = ProxyFiles.OfText(("a.txt", "a")) })).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Input_files_past_the_cap_fail_the_activation_naming_the_file_its_size_the_cap_and_the_fix()
    {
        var answer = await runtime.Capped.RunAsync(new JsonObject
        {
            [ProxyFiles.Key] = ProxyFiles.Of(("a.bin", new byte[600]), ("b.bin", new byte[600])),
        });

        answer.Status.ShouldBe(HttpStatusCode.BadGateway, answer.ToString());
        answer.Error.ShouldContain("The input file 'b.bin' (600 bytes)");
        answer.Error.ShouldContain("1200 bytes, past the cap of 1000 bytes");
        answer.Error.ShouldContain("POLYARCH_FILES_MAX_BYTES");
        var within = await runtime.Capped.RunAsync(new JsonObject { ["mode"] = "none", [ProxyFiles.Key] = ProxyFiles.Of(("a.bin", new byte[FilesRuntime.SmallCap])) });
        within.Status.ShouldBe(HttpStatusCode.OK, "exactly the cap is allowed: " + within);
    }

    [Fact]
    public async Task Output_files_past_the_cap_fail_the_activation_naming_the_file_its_size_the_cap_and_the_fix()
    {
        var answer = await runtime.Capped.RunAsync(new JsonObject { ["mode"] = "save", ["name"] = "big.bin", ["size"] = 1500 });

        answer.Status.ShouldBe(HttpStatusCode.BadGateway, answer.ToString());
        answer.Error.ShouldContain("The output file 'big.bin' (1500 bytes)");
        answer.Error.ShouldContain("past the cap of 1000 bytes");
        answer.Error.ShouldContain("POLYARCH_FILES_MAX_BYTES");
    }

    [Fact]
    public async Task A_notebook_reads_and_saves_files_and_its_params_lack_the_reserved_key()
    {
        var answer = await runtime.Notebook.RunAsync(new JsonObject { ["who"] = "nb", [ProxyFiles.Key] = ProxyFiles.OfText(("in.txt", "polyarch")) });

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.ToString());
        Encoding.UTF8.GetString(ProxyFiles.In(answer.Body)["out.txt"]).ShouldBe("hcraylop");
        answer.Body!["keys"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["who"]);
        answer.Body["inputs"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["in.txt"]);
    }
}
