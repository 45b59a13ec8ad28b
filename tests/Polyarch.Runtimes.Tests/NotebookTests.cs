using System.Net;
using System.Text.Json.Nodes;

namespace Polyarch.Runtimes.Tests;

/// <summary>
/// The notebook rules that do not depend on the architecture, on linux/amd64: code cells counted 1-based without the
/// markdown cells, IPython lines skipped with a log line, <c>params</c> without a parameters cell, a failing cell named
/// with its first line. One container serves every case (the notebook fails only when asked to).
/// </summary>
[Trait("Category", "Integration")]
public sealed class NotebookTests(NotebookRuntime runtime) : IClassFixture<NotebookRuntime>
{
    private const string Sentinel = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

    private RuntimeContainer Container => runtime.Container;

    [Fact]
    public async Task Without_a_parameters_cell_the_params_are_the_dict_params_and_result_is_the_answer()
    {
        runtime.Init.Status.ShouldBe(HttpStatusCode.OK, runtime.Init.ToString());

        var answer = await Container.RunAsync(new JsonObject { ["who"] = "polyarch" });

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.ToString());
        answer.Body!["greeting"]!.GetValue<string>().ShouldBe("hello polyarch");
        answer.Body["cells_run"]!.GetValue<int>().ShouldBe(4);
    }

    [Fact]
    public async Task IPython_magics_and_shell_lines_are_skipped_with_a_log_line()
    {
        var (_, before) = await Container.LogsAsync();

        (await Container.RunAsync(new JsonObject { ["who"] = "x" })).Status.ShouldBe(HttpStatusCode.OK);

        var (_, after) = await Container.LogsWhenAsync((_, e) => e[before.Length..].Contains(Sentinel, StringComparison.Ordinal));
        var logged = after[before.Length..];
        logged.ShouldContain("notebook: cell 1 line 1: IPython line skipped: %matplotlib inline");
        logged.ShouldContain("notebook: cell 2 line 3: IPython line skipped: !pip install nothing");
        logged.ShouldContain("notebook: cell 4 ('%%bash') is an IPython cell magic; skipped whole");
    }

    [Fact]
    public async Task A_failing_cell_is_named_by_its_code_cell_number_and_first_line()
    {
        var (_, before) = await Container.LogsAsync();

        var answer = await Container.RunAsync(new JsonObject { ["who"] = "x", ["fail"] = true });

        answer.Status.ShouldBe(HttpStatusCode.BadGateway, answer.ToString());
        answer.Error.ShouldBe("cell 3 ('steps = cells_run + 1') raised RuntimeError: cell three was asked to fail");
        var (_, after) = await Container.LogsWhenAsync((_, e) => e[before.Length..].Contains(Sentinel, StringComparison.Ordinal));
        after[before.Length..].ShouldContain("File \"<cell 3>\", line 3");
        (await Container.RunAsync(new JsonObject { ["who"] = "again" })).Body!["greeting"]!.GetValue<string>().ShouldBe("hello again", "every activation runs the notebook afresh");
    }

    [Fact]
    public async Task A_notebook_without_result_answers_an_error_that_says_how_to_set_it()
    {
        var answer = await Container.RunAsync(new JsonObject { ["who"] = "x", ["skip_result"] = true });

        answer.Status.ShouldBe(HttpStatusCode.BadGateway, answer.ToString());
        answer.Error.ShouldContain("did not set a variable named result");
    }
}
