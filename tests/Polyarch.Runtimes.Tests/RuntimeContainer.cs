using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;
using Polyarch.Testing;

namespace Polyarch.Runtimes.Tests;

/// <summary>
/// One runtime container on the local engine for one platform (natively or under QEMU), its port 8080 published on
/// 127.0.0.1, labelled with the test run and removed on dispose. The test speaks OpenWhisk's protocol to it itself.
/// </summary>
internal sealed class RuntimeContainer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly DockerClient _docker;
    private readonly HttpClient _http;

    private RuntimeContainer(DockerClient docker, string id, int port, string platform)
    {
        _docker = docker;
        Id = id;
        Platform = platform;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(3) };
    }

    /// <summary>The container's id.</summary>
    public string Id { get; }

    /// <summary>The platform it runs as.</summary>
    public string Platform { get; }

    /// <summary>Pulls <paramref name="image"/> (a child digest) for <paramref name="platform"/>, starts it and waits until the proxy answers.</summary>
    public static async Task<RuntimeContainer> StartAsync(string image, string platform)
    {
        var docker = ContainerHost.CreateDockerClient();
        var at = image.IndexOf('@', StringComparison.Ordinal);
        await docker.Images.CreateImageAsync(
            new ImagesCreateParameters { FromImage = image[..at], Tag = image[(at + 1)..], Platform = platform },
            authConfig: null, new Progress<JSONMessage>());
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Platform = platform,
            Labels = new Dictionary<string, string>(TestRun.Labels) { ["io.polyarch.test.runtime"] = platform },
            ExposedPorts = new Dictionary<string, EmptyStruct> { ["8080/tcp"] = default },
            HostConfig = new HostConfig
            {
                PortBindings = new Dictionary<string, IList<PortBinding>> { ["8080/tcp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = "" }] },
                Memory = 1L << 30,
            },
        });
        try
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            var inspect = await docker.Containers.InspectContainerAsync(created.ID);
            var port = int.Parse(inspect.NetworkSettings!.Ports["8080/tcp"][0].HostPort, System.Globalization.CultureInfo.InvariantCulture);
            var container = new RuntimeContainer(docker, created.ID, port, platform);
            await container.WaitUntilServingAsync();
            return container;
        }
        catch
        {
            await docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
            docker.Dispose();
            throw;
        }
    }

    /// <summary>POST /init with <c>{"value": value}</c>.</summary>
    public Task<ProxyResponse> InitAsync(JsonObject value) => PostAsync("init", new JsonObject { ["value"] = value });

    /// <summary>POST /init with a text action: <paramref name="code"/>, main <paramref name="main"/>.</summary>
    public Task<ProxyResponse> InitCodeAsync(string code, string main = "main", bool binary = false, JsonObject? env = null) =>
        InitAsync(new JsonObject { ["name"] = "test-action", ["main"] = main, ["code"] = code, ["binary"] = binary, ["env"] = env ?? [] });

    /// <summary>POST /run with OpenWhisk's fields: value (the params), namespace, action_name, activation_id, transaction_id, deadline (epoch ms).</summary>
    public Task<ProxyResponse> RunAsync(JsonObject parameters, string activationId = "0123456789abcdef0123456789abcdef") =>
        PostAsync("run", new JsonObject
        {
            ["value"] = parameters,
            ["namespace"] = "polyarch",
            ["action_name"] = "test-action",
            ["activation_id"] = activationId,
            ["transaction_id"] = "tx-" + activationId,
            ["deadline"] = 4_102_444_800_000L,
        });

    /// <summary>POST <paramref name="path"/> with <paramref name="body"/>.</summary>
    public async Task<ProxyResponse> PostAsync(string path, JsonNode body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return new ProxyResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>The container's stdout and stderr so far.</summary>
    public async Task<(string StandardOutput, string StandardError)> LogsAsync()
    {
        using var logs = await _docker.Containers.GetContainerLogsAsync(Id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true });
        return await logs.ReadOutputToEndAsync(CancellationToken.None);
    }

    /// <summary>
    /// The logs once <paramref name="done"/> holds for them (the engine copies a container's output to its log
    /// asynchronously, so lines flushed before an answer may reach the log just after it), or as they are after 10 s.
    /// </summary>
    public async Task<(string StandardOutput, string StandardError)> LogsWhenAsync(Func<string, string, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var logs = await LogsAsync();
            if (done(logs.StandardOutput, logs.StandardError) || timeout.IsCancellationRequested)
            {
                return logs;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            await _docker.Containers.RemoveContainerAsync(Id, new ContainerRemoveParameters { Force = true });
        }
        catch (DockerApiException exception) when (exception.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Already gone or being removed.
        }

        _docker.Dispose();
    }

    private async Task WaitUntilServingAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            try
            {
                // Before /init OpenWhisk's proxies answer /run with 500 "no action defined yet": the server is up.
                using var content = new StringContent("{}", Encoding.UTF8, "application/json");
                using var response = await _http.PostAsync("run", content, timeout.Token);
                return;
            }
            catch (HttpRequestException) when (!timeout.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                var (stdout, stderr) = await LogsAsync();
                throw new TimeoutException($"The runtime container for {Platform} did not serve on 8080 within {StartTimeout.TotalSeconds} s. Logs:\n{stdout}\n{stderr}");
            }
        }
    }
}
