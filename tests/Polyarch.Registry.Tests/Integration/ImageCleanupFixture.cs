using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Integration;

/// <summary>
/// Removes the images this test run left in the engine's image store: buildx with the containerd store keeps
/// what it pushes, and docker run pulls what it runs. All of them carry the run's label (buildx --label).
/// </summary>
public sealed class ImageCleanupFixture : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var listed = await Tools.DockerAsync("images", "--filter", $"label={TestRun.LabelKey}={TestRun.Id}", "--format", "{{.ID}}");
        var images = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct().ToList();
        if (images.Count > 0)
        {
            await Tools.DockerAsync(["rmi", "--force", .. images]);
        }
    }
}
