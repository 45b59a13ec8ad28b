using Docker.DotNet;
using Docker.DotNet.Models;

namespace Polyarch.Testing;

/// <summary>Runs containers on the local engine for tests, labelled with the run id and always removed.</summary>
public static class Engine
{
    /// <summary>The result of a container that ran to completion.</summary>
    public sealed record RunResult(long ExitCode, string StandardOutput, string StandardError);

    /// <summary>Pulls <paramref name="image"/> for <paramref name="platform"/>, runs it to completion and removes the container.</summary>
    public static async Task<RunResult> RunAsync(
        string image, string platform, IList<string>? command = null, CancellationToken cancellationToken = default)
    {
        using var docker = ContainerHost.CreateDockerClient();
        var (name, tag) = SplitTag(image);
        await docker.Images.CreateImageAsync(
            new ImagesCreateParameters { FromImage = name, Tag = tag, Platform = platform },
            authConfig: null,
            new Progress<JSONMessage>(),
            cancellationToken);

        var created = await docker.Containers.CreateContainerAsync(
            new CreateContainerParameters
            {
                Image = image,
                Platform = platform,
                Cmd = command ?? [],
                Labels = new Dictionary<string, string>(TestRun.Labels),
                HostConfig = new HostConfig { NetworkMode = "none" },
            },
            cancellationToken);
        try
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
            var wait = await docker.Containers.WaitContainerAsync(created.ID, cancellationToken);
            using var logs = await docker.Containers.GetContainerLogsAsync(
                created.ID, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, cancellationToken);
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(cancellationToken);
            return new RunResult(wait.StatusCode, stdout, stderr);
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
    }

    /// <summary>Removes every container this test run created (by label), also those a failed test left.</summary>
    public static Task RemoveTestContainersAsync() => RemoveContainersLabelledAsync($"{TestRun.LabelKey}={TestRun.Id}");

    /// <summary>
    /// Removes every container carrying <paramref name="label"/> (<c>key=value</c>), e.g. one invoker instance's. One that is
    /// already gone, or whose removal is in progress, is no failure: the code under test removes its own containers too.
    /// </summary>
    public static async Task RemoveContainersLabelledAsync(string label)
    {
        using var docker = ContainerHost.CreateDockerClient();
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [label] = true },
            },
        });
        foreach (var container in containers)
        {
            try
            {
                await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
            }
            catch (DockerApiException exception) when (exception.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
            {
                // Already gone, or its removal is in progress.
            }
        }
    }

    /// <summary>
    /// The names (tags and digests) of every image the engine holds from <paramref name="registry"/>. Asked with reference
    /// filters, not by listing every image: an engine with the containerd image store inspects each image it lists (an engine
    /// holding hundreds took half a minute per list), and a fixture's cleanup must not depend on what else the engine holds.
    /// </summary>
    public static Task<IReadOnlyList<string>> ImageNamesFromAsync(string registry, CancellationToken cancellationToken = default) =>
        ImageNamesStartingWithAsync(registry + "/", cancellationToken);

    /// <summary>The names of every image the engine holds whose name starts with <paramref name="prefix"/> (e.g. <c>127.0.0.1:5000/dashboard-test/echo-RUN</c>).</summary>
    public static async Task<IReadOnlyList<string>> ImageNamesStartingWithAsync(string prefix, CancellationToken cancellationToken = default)
    {
        using var docker = ContainerHost.CreateDockerClient();
        // A reference pattern is a path glob: '*' stops at '/', so one pattern per repository depth (OR-ed by the engine).
        var patterns = Enumerable.Range(0, 4).ToDictionary(depth => prefix + "*" + string.Concat(Enumerable.Repeat("/*", depth)), _ => true);
        var images = await docker.Images.ListImagesAsync(
            new ImagesListParameters { All = true, Filters = new Dictionary<string, IDictionary<string, bool>> { ["reference"] = patterns } },
            cancellationToken);
        return [.. images.SelectMany(i => (i.RepoTags ?? []).Concat(i.RepoDigests ?? []))
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Removes every image the engine holds from <paramref name="registry"/> (a test's private registry).</summary>
    public static Task RemoveImagesFromAsync(string registry) => RemoveImagesStartingWithAsync(registry + "/");

    /// <summary>Removes every image the engine holds whose name starts with <paramref name="prefix"/> (a test run's repositories in a shared registry).</summary>
    /// <remarks>Bounded (two minutes): a stuck engine fails the fixture's cleanup loudly instead of hanging the test run.</remarks>
    public static async Task RemoveImagesStartingWithAsync(string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var docker = ContainerHost.CreateDockerClient();
        // By name, not by id: the same image may also be tagged from the host registry, which stays.
        foreach (var name in await ImageNamesStartingWithAsync(prefix, timeout.Token))
        {
            try
            {
                await docker.Images.DeleteImageAsync(name, new ImageDeleteParameters(), timeout.Token);
            }
            catch (DockerApiException)
            {
                // Already gone with another of its names, or in use by a container still being removed.
            }
        }
    }

    private static (string Name, string Tag) SplitTag(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..]);
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }
}
