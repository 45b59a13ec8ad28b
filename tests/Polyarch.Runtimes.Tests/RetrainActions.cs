namespace Polyarch.Runtimes.Tests;

/// <summary>
/// The actions of examples/retrain, each in its own runtime container as the invoker would run them (/init with the
/// file, /run with params and files): make_batches.py, train.py and decide.py on linux/amd64, test.ipynb on
/// linux/amd64 and on linux/arm64 (QEMU).
/// </summary>
public sealed class RetrainActions : IAsyncLifetime
{
    private readonly List<RuntimeContainer> _containers = [];

    internal RuntimeContainer Batches => _containers[0];

    internal RuntimeContainer Train => _containers[1];

    internal RuntimeContainer TestAmd64 => _containers[2];

    internal RuntimeContainer TestArm64 => _containers[3];

    internal RuntimeContainer Decide => _containers[4];

    internal ProxyResponse[] Inits { get; private set; } = [];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var index = await PythonRuntimeImage.GetAsync();
        string[] platforms = ["linux/amd64", "linux/amd64", "linux/amd64", "linux/arm64", "linux/amd64"];
        var starts = platforms.Select(p => RuntimeContainer.StartAsync(index.ChildReference(p), p)).ToArray();
        try
        {
            await Task.WhenAll(starts);
        }
        finally
        {
            _containers.AddRange(starts.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result));
        }

        string[] files = ["make_batches.py", "train.py", "test.ipynb", "test.ipynb", "decide.py"];
        Inits = await Task.WhenAll(files.Select(async (file, i) =>
            await _containers[i].InitAsync(new() { ["name"] = file, ["main"] = "main", ["code"] = await File.ReadAllTextAsync(ExampleActions.Retrain(file)), ["binary"] = false })));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var container in _containers)
        {
            await container.DisposeAsync();
        }
    }
}
