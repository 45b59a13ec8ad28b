using System.Text.Json.Nodes;

namespace Polyarch.Runtimes.Tests;

/// <summary>
/// One linux/amd64 runtime container initialised with a small notebook that exercises the rules: markdown cells between
/// code cells, IPython lines and a cell magic, <c>params</c> (no parameters cell), a third code cell that raises when
/// asked, and <c>result</c> left unset when asked.
/// </summary>
public sealed class NotebookRuntime : IAsyncLifetime
{
    private RuntimeContainer? _container;

    internal RuntimeContainer Container => _container ?? throw new InvalidOperationException("not started");

    internal ProxyResponse Init { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var index = await PythonRuntimeImage.GetAsync();
        _container = await RuntimeContainer.StartAsync(index.ChildReference("linux/amd64"), "linux/amd64");
        Init = await Container.InitCodeAsync(Notebook().ToJsonString());
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    internal static JsonObject Notebook() => new()
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject(),
        ["cells"] = new JsonArray(
            Markdown("# Not counted"),
            Code("%matplotlib inline\ncells_run = 1"),
            Code("who = params['who']\ncells_run += 1\n!pip install nothing"),
            Markdown("Still not counted"),
            Code("steps = cells_run + 1\nif params.get('fail'):\n    raise RuntimeError('cell three was asked to fail')\ncells_run = steps"),
            Code("%%bash\necho never runs"),
            Code("cells_run += 1\nif not params.get('skip_result'):\n    result = {'greeting': 'hello ' + who, 'cells_run': cells_run}")),
    };

    private static JsonObject Markdown(string text) => new() { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = text };

    private static JsonObject Code(string text) => new()
    {
        ["cell_type"] = "code",
        ["metadata"] = new JsonObject(),
        ["execution_count"] = null,
        ["outputs"] = new JsonArray(),
        ["source"] = Lines(text),
    };

    // nbformat stores a cell's source as lines that keep their newline, the last one without.
    private static JsonArray Lines(string text)
    {
        var lines = text.Split('\n');
        return new JsonArray(lines.Select((line, i) => (JsonNode?)JsonValue.Create(i < lines.Length - 1 ? line + "\n" : line)).ToArray());
    }
}
