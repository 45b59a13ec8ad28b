using System.Net;
using System.Text.Json.Nodes;

namespace Polyarch.Runtimes.Tests;

/// <summary>
/// polyarch/python:3.11 on one platform, spoken to with OpenWhisk's protocol. Each platform is its own test class (and
/// so runs in parallel with the others); the cases of one class share that platform's containers.
/// </summary>
public abstract class PythonRuntimeTests<TRuntimes>(TRuntimes runtimes)
    where TRuntimes : PlatformRuntimes
{
    private const string Sentinel = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

    [Fact]
    public async Task Hello_py_answers_the_machine_of_its_platform_the_python_version_and_its_params()
    {
        runtimes.HelloInit.Status.ShouldBe(HttpStatusCode.OK, runtimes.HelloInit.ToString());

        var answer = await runtimes.Code.RunAsync(new JsonObject { ["name"] = "polyarch", ["n"] = 3, ["nested"] = new JsonObject { ["ok"] = true } });

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.ToString());
        answer.Body!["machine"]!.GetValue<string>().ShouldBe(runtimes.Machine);
        answer.Body["python"]!.GetValue<string>().ShouldStartWith("3.11.");
        JsonNode.DeepEquals(answer.Body["params"], new JsonObject { ["name"] = "polyarch", ["n"] = 3, ["nested"] = new JsonObject { ["ok"] = true } })
            .ShouldBeTrue(answer.ToString());
    }

    [Fact]
    public void A_syntax_error_fails_init_with_502_naming_the_line()
    {
        runtimes.SyntaxErrorInit.Status.ShouldBe(HttpStatusCode.BadGateway, runtimes.SyntaxErrorInit.ToString());
        runtimes.SyntaxErrorInit.Error.ShouldContain("line 5");
        runtimes.SyntaxErrorInit.Error.ShouldContain("never closed");
    }

    [Fact]
    public async Task A_second_init_is_refused_with_403_and_the_first_code_keeps_running()
    {
        var again = await runtimes.Code.InitCodeAsync("def main(args):\n    return {\"replaced\": True}\n");

        again.Status.ShouldBe(HttpStatusCode.Forbidden, again.ToString());
        again.Error.ShouldBe("Cannot initialize the action more than once.");
        var answer = await runtimes.Code.RunAsync([]);
        answer.Body!["machine"]!.GetValue<string>().ShouldBe(runtimes.Machine, answer.ToString());
    }

    [Fact]
    public async Task Each_activation_ends_with_one_sentinel_line_on_stdout_and_on_stderr_after_its_own_output()
    {
        // Both streams caught up with the earlier activations (each ended with a sentinel on both).
        var (stdoutBefore, stderrBefore) = await runtimes.Code.LogsWhenAsync((o, e) => Count(o, Sentinel) == Count(e, Sentinel));

        (await runtimes.Code.RunAsync(new JsonObject { ["n"] = 1 })).Status.ShouldBe(HttpStatusCode.OK);
        (await runtimes.Code.RunAsync(new JsonObject { ["n"] = 2 })).Status.ShouldBe(HttpStatusCode.OK);

        var (stdout, stderr) = await runtimes.Code.LogsWhenAsync((o, e) =>
            Count(o[stdoutBefore.Length..], Sentinel) >= 2 && Count(e[stderrBefore.Length..], Sentinel) >= 2);
        var newStdout = Lines(stdout[stdoutBefore.Length..]);
        var newStderr = Lines(stderr[stderrBefore.Length..]);
        newStdout.ShouldBe([$"hello from {runtimes.Machine}", Sentinel, $"hello from {runtimes.Machine}", Sentinel]);
        newStderr.ShouldBe([Sentinel, Sentinel]);
    }

    [Fact]
    public async Task A_zip_action_runs_its_main_module_with_modules_beside_it_and_the_init_env()
    {
        runtimes.ZipInit.Status.ShouldBe(HttpStatusCode.OK, runtimes.ZipInit.ToString());

        var answer = await runtimes.Zip.RunAsync(new JsonObject { ["x"] = 1 });

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.ToString());
        answer.Body!["machine"]!.GetValue<string>().ShouldBe(runtimes.Machine);
        answer.Body["greeting"]!.GetValue<string>().ShouldBe("hello from the zip");
        answer.Body["params"]!["x"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task An_exception_in_main_answers_502_with_its_message_and_logs_the_traceback_before_the_sentinel()
    {
        var (_, stderrBefore) = await runtimes.Zip.LogsAsync();

        var answer = await runtimes.Zip.RunAsync(new JsonObject { ["fail"] = "disk on fire" });

        answer.Status.ShouldBe(HttpStatusCode.BadGateway, answer.ToString());
        answer.Error.ShouldBe("ValueError: asked to fail: disk on fire");
        var (_, stderr) = await runtimes.Zip.LogsWhenAsync((_, e) => e[stderrBefore.Length..].Contains(Sentinel, StringComparison.Ordinal));
        var logged = stderr[stderrBefore.Length..];
        logged.ShouldContain("about to fail");
        logged.ShouldContain("Traceback (most recent call last)");
        logged.ShouldContain("File \"__main__.py\", line 10, in main");
        logged.TrimEnd().ShouldEndWith(Sentinel);
        (await runtimes.Zip.RunAsync([])).Status.ShouldBe(HttpStatusCode.OK, "the container serves the next activation");
    }

    [Fact]
    public async Task The_notebook_trains_a_classifier_on_the_digits_and_answers_its_accuracy_with_injected_parameters()
    {
        runtimes.NotebookInit.Status.ShouldBe(HttpStatusCode.OK, runtimes.NotebookInit.ToString());

        var answer = await runtimes.Notebook.RunAsync(new JsonObject { ["test_size"] = 0.5 });

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.ToString());
        answer.Body!["accuracy"]!.GetValue<double>().ShouldBeInRange(0.75, 1.0, answer.ToString());
        answer.Body["model"]!.GetValue<string>().ShouldBe("GaussianNB");
        answer.Body["test"]!.GetValue<int>().ShouldBe(899, "test_size=0.5 of 1797 digits, injected after the parameters cell");
        answer.Body["machine"]!.GetValue<string>().ShouldBe(runtimes.Machine);
        var (_, stderr) = await runtimes.Notebook.LogsWhenAsync((_, e) => e.Contains(Sentinel, StringComparison.Ordinal));
        stderr.ShouldContain("IPython line skipped: %matplotlib inline");
    }

    private static int Count(string text, string line) => Lines(text).Count(l => l == line);

    private static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).ToList();
}
