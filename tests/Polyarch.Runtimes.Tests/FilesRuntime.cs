using System.Text.Json.Nodes;

namespace Polyarch.Runtimes.Tests;

/// <summary>
/// linux/amd64 runtime containers for the files cases: a code action that reads, copies and saves files as its params
/// ask, the same action with a 1000-byte files cap (POLYARCH_FILES_MAX_BYTES, set by /init's env), and a notebook
/// that reverses an input file into an output file.
/// </summary>
public sealed class FilesRuntime : IAsyncLifetime
{
    /// <summary>The cap of <see cref="Capped"/>.</summary>
    public const int SmallCap = 1000;

    /// <summary>
    /// mode "copy" (default): every input → "upper-NAME" (upper-cased) and "direct.txt" written into output_dir(), and
    /// the modes of what it saw; "save": save_output(name, size bytes); "none": no files; "previous": whether a
    /// directory exists; "reserved": a result holding the reserved key; "rmdir": output_dir() removed.
    /// </summary>
    internal const string FilesAction = """
        import os
        import stat

        import polyarch


        def mode_of(path):
            return oct(stat.S_IMODE(os.stat(path).st_mode))


        def main(args):
            mode = args.get("mode", "copy")
            if mode == "previous":
                return {"exists": os.path.exists(args["dir"])}
            if mode == "reserved":
                return {"polyarch:files": {"x.txt": "eA=="}}
            if mode == "rmdir":
                os.rmdir(polyarch.output_dir())
                return {}
            answer = {"params": sorted(args), "inputs": polyarch.inputs(), "root": os.path.dirname(polyarch.output_dir())}
            if mode == "copy":
                for name in polyarch.inputs():
                    polyarch.save_output("upper-" + name, polyarch.read_input(name).upper())
                with open(os.path.join(polyarch.output_dir(), "direct.txt"), "w") as file:
                    file.write("written into output_dir()")
                first = polyarch.inputs()[0]
                answer["modes"] = {
                    "inputFile": mode_of(polyarch.input_path(first)),
                    "inputDir": mode_of(os.path.dirname(polyarch.input_path(first))),
                    "outputDir": mode_of(polyarch.output_dir()),
                    "root": mode_of(os.path.dirname(polyarch.output_dir())),
                    "savedFile": mode_of(os.path.join(polyarch.output_dir(), "upper-" + first)),
                }
            elif mode == "save":
                polyarch.save_output(args["name"], b"x" * int(args.get("size", 1)))
            return answer
        """;

    private RuntimeContainer? _code;
    private RuntimeContainer? _capped;
    private RuntimeContainer? _notebook;

    internal RuntimeContainer Code => _code ?? throw new InvalidOperationException("not started");

    internal RuntimeContainer Capped => _capped ?? throw new InvalidOperationException("not started");

    internal RuntimeContainer Notebook => _notebook ?? throw new InvalidOperationException("not started");

    internal ProxyResponse[] Inits { get; private set; } = [];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var image = (await PythonRuntimeImage.GetAsync()).ChildReference("linux/amd64");
        var starts = Enumerable.Range(0, 3).Select(_ => RuntimeContainer.StartAsync(image, "linux/amd64")).ToArray();
        try
        {
            await Task.WhenAll(starts);
        }
        finally
        {
            _code = starts[0].IsCompletedSuccessfully ? starts[0].Result : null;
            _capped = starts[1].IsCompletedSuccessfully ? starts[1].Result : null;
            _notebook = starts[2].IsCompletedSuccessfully ? starts[2].Result : null;
        }

        Inits =
        [
            await Code.InitCodeAsync(FilesAction),
            await Capped.InitCodeAsync(FilesAction, env: new JsonObject { ["POLYARCH_FILES_MAX_BYTES"] = SmallCap.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            await Notebook.InitCodeAsync(FilesNotebook().ToJsonString()),
        ];
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var container in new[] { _code, _capped, _notebook })
        {
            if (container is not null)
            {
                await container.DisposeAsync();
            }
        }
    }

    /// <summary>A notebook (no parameters cell: the params are the dict <c>params</c>) that reverses in.txt into out.txt.</summary>
    private static JsonObject FilesNotebook() => new()
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject(),
        ["cells"] = new JsonArray(
            CodeCell("import polyarch"),
            CodeCell("text = polyarch.read_input('in.txt').decode()\npolyarch.save_output('out.txt', text[::-1].encode())"),
            CodeCell("result = {'keys': sorted(params), 'inputs': polyarch.inputs()}")),
    };

    private static JsonObject CodeCell(string text) => new()
    {
        ["cell_type"] = "code",
        ["metadata"] = new JsonObject(),
        ["execution_count"] = null,
        ["outputs"] = new JsonArray(),
        ["source"] = text,
    };
}
