using k8s;
using Polyarch.Invoker.Kubernetes;

namespace Polyarch.Invoker.Kubernetes.Tests.Integration;

/// <summary>
/// Every KUBECONFIG entry counts, merged as kubectl merges them (first definition of a name wins, first current-context
/// wins, missing files skipped), and `--context` picks a context from the merge. The invoker used to read only the first
/// entry, so a current-context set in one file and defined in another was "not found".
/// </summary>
public sealed class KubeconfigMergeTests : IAsyncLifetime
{
    private ApiServerDouble.ApiServerDouble _server = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServerDouble.ApiServerDouble.StartAsync();
        _directory = Directory.CreateTempSubdirectory("polyarch-kubeconfig-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_current_context_set_in_the_first_file_and_defined_in_the_second_reaches_that_cluster()
    {
        var first = Write("first", """
            apiVersion: v1
            kind: Config
            current-context: double
            """);
        var missing = Path.Combine(_directory, "does-not-exist");

        var (client, @namespace) = KubernetesConnection.Connect(new KubernetesBackendOptions { Kubeconfig = List(first, missing, _server.KubeconfigPath) });
        using var _ = client as IDisposable;
        await client.CoreV1.ListNodeAsync();

        @namespace.ShouldBe(ApiServerDouble.ApiServerDouble.Namespace);
        _server.Calls.ShouldContain(c => c.Path.StartsWith("/api/v1/nodes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_context_option_picks_a_context_from_any_file_and_the_first_definition_of_a_name_wins()
    {
        // The first file's current context points at nothing that answers; its "double" cluster is shadowed by nobody
        // (the first definition wins), so it must be the second file's user and cluster that --context double uses.
        var first = Write("first", """
            apiVersion: v1
            kind: Config
            current-context: unreachable
            clusters:
            - name: unreachable
              cluster:
                server: http://127.0.0.1:9
            contexts:
            - name: unreachable
              context:
                cluster: unreachable
                user: nobody
            users:
            - name: nobody
              user:
                token: none
            """);

        var (client, _) = KubernetesConnection.Connect(new KubernetesBackendOptions { Kubeconfig = List(first, _server.KubeconfigPath), Context = "double" });
        using var _ = client as IDisposable;
        await client.CoreV1.ListNodeAsync();

        _server.Calls.ShouldContain(c => c.Path.StartsWith("/api/v1/nodes", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_context_is_refused_naming_it_the_files_and_the_fix()
    {
        var error = Should.Throw<ClusterUnavailableException>(() =>
            KubernetesConnection.Connect(new KubernetesBackendOptions { Kubeconfig = _server.KubeconfigPath, Context = "staging" }));

        error.Message.ShouldContain("'staging'");
        error.Message.ShouldContain(_server.KubeconfigPath);
        error.Message.ShouldContain("kubectl config get-contexts");
    }

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string List(params string[] files) => string.Join(Path.PathSeparator, files);
}
