using System.Text.Json.Nodes;
using Polyarch.Testing;

namespace Polyarch.Runtimes.Tests;

/// <summary>
/// The containers one platform's tests share, started side by side (/init is once per container, so one per action):
/// a text action (a syntax error first, then examples/python-hello/hello.py), a zip action and the notebook
/// examples/notebook-train/train.ipynb. The init answers are kept for the tests to assert on.
/// </summary>
public abstract class PlatformRuntimes : IAsyncLifetime
{
    /// <summary>Code whose line 5 opens a brace it never closes.</summary>
    internal const string SyntaxErrorCode = "import platform\n\n\ndef main(args):\n    return {\"machine\": platform.machine()\n";

    private RuntimeContainer? _code;
    private RuntimeContainer? _zip;
    private RuntimeContainer? _notebook;

    /// <summary>The platform, e.g. linux/arm64.</summary>
    public abstract string Platform { get; }

    /// <summary>What platform.machine() says there (x86_64, aarch64, ppc64le).</summary>
    public abstract string Machine { get; }

    internal RuntimeContainer Code => _code ?? throw new InvalidOperationException("not started");

    internal RuntimeContainer Zip => _zip ?? throw new InvalidOperationException("not started");

    internal RuntimeContainer Notebook => _notebook ?? throw new InvalidOperationException("not started");

    internal ProxyResponse SyntaxErrorInit { get; private set; } = null!;

    internal ProxyResponse HelloInit { get; private set; } = null!;

    internal ProxyResponse ZipInit { get; private set; } = null!;

    internal ProxyResponse NotebookInit { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var index = await PythonRuntimeImage.GetAsync();
        var image = index.ChildReference(Platform);
        var starts = new[] { RuntimeContainer.StartAsync(image, Platform), RuntimeContainer.StartAsync(image, Platform), RuntimeContainer.StartAsync(image, Platform) };
        try
        {
            await Task.WhenAll(starts);
        }
        finally
        {
            _code = starts[0].IsCompletedSuccessfully ? starts[0].Result : null;
            _zip = starts[1].IsCompletedSuccessfully ? starts[1].Result : null;
            _notebook = starts[2].IsCompletedSuccessfully ? starts[2].Result : null;
        }

        var syntax = Code.InitCodeAsync(SyntaxErrorCode);
        var zip = Zip.InitCodeAsync(Convert.ToBase64String(ExampleActions.ZipAction()), binary: true, env: new JsonObject { ["GREETING"] = "hello from the zip" });
        var notebook = Notebook.InitCodeAsync(await File.ReadAllTextAsync(ExampleActions.TrainNotebook));
        SyntaxErrorInit = await syntax;
        HelloInit = await Code.InitCodeAsync(await File.ReadAllTextAsync(ExampleActions.HelloPy), env: new JsonObject { ["POLYARCH_TEST"] = "1" });
        ZipInit = await zip;
        NotebookInit = await notebook;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var container in new[] { _code, _zip, _notebook })
        {
            if (container is not null)
            {
                await container.DisposeAsync();
            }
        }
    }
}
