using System.Reflection;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Hosting;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Kubernetes;
using Polyarch.Invoker.Triggers;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Hosting;

/// <summary>
/// The invoker is five projects with one-way references (invoker/README.md, "Layout"): the core knows no backend and
/// no trigger, the backends and the triggers know only the core, and only the executable knows them all. Project
/// references already refuse the other direction at build time; this checks what they cannot: which third-party
/// libraries each assembly loads, and that each project logs in its own EventId range. The tests follow the same split:
/// each test project references its own project and test support only.
/// </summary>
public sealed class ProjectLayoutTests
{
    private static readonly Assembly Core = typeof(ActionInvoker).Assembly;
    private static readonly Assembly Docker = typeof(DockerBackend).Assembly;
    private static readonly Assembly Kubernetes = typeof(KubernetesBackend).Assembly;
    private static readonly Assembly Triggers = typeof(Reconciler).Assembly;
    private static readonly Assembly Executable = typeof(InvokerCommandLine).Assembly;

    public static TheoryData<string, string[], string[]> References => new()
    {
        // assembly, must reference, must not reference
        { "Polyarch.Invoker.Core", ["Polyarch.Registry"], ["Docker.DotNet", "KubernetesClient", "Polyarch.Invoker.Docker", "Polyarch.Invoker.Kubernetes", "Polyarch.Invoker.Triggers", "polyarch-invoker", "System.CommandLine"] },
        { "Polyarch.Invoker.Docker", ["Polyarch.Invoker.Core", "Docker.DotNet"], ["KubernetesClient", "Polyarch.Invoker.Kubernetes", "Polyarch.Invoker.Triggers", "polyarch-invoker"] },
        { "Polyarch.Invoker.Kubernetes", ["Polyarch.Invoker.Core", "KubernetesClient"], ["Docker.DotNet", "Polyarch.Invoker.Docker", "Polyarch.Invoker.Triggers", "polyarch-invoker"] },
        { "Polyarch.Invoker.Triggers", ["Polyarch.Invoker.Core"], ["Docker.DotNet", "KubernetesClient", "Polyarch.Invoker.Docker", "Polyarch.Invoker.Kubernetes", "polyarch-invoker"] },
        { "polyarch-invoker", ["Polyarch.Invoker.Core", "Polyarch.Invoker.Docker", "Polyarch.Invoker.Kubernetes", "Polyarch.Invoker.Triggers"], [] },
    };

    [Theory]
    [MemberData(nameof(References))]
    public void Each_project_references_only_what_its_layer_allows(string assembly, string[] required, string[] forbidden)
    {
        var referenced = ByName(assembly).GetReferencedAssemblies().Select(a => a.Name!).ToHashSet();

        required.Where(r => !referenced.Contains(r)).ShouldBeEmpty($"{assembly} references {string.Join(", ", referenced.Order())}");
        forbidden.Where(referenced.Contains).ShouldBeEmpty();
    }

    [Fact]
    public void No_invoker_type_lives_in_a_namespace_that_shadows_a_library()
    {
        // `Polyarch.Invoker.Docker` as a namespace made `Docker.DotNet` need `global::` inside the invoker.
        Assembly[] all = [Core, Docker, Kubernetes, Triggers, Executable];
        all.SelectMany(a => a.GetTypes())
            .Select(t => t.Namespace ?? "")
            .Where(n => n == "Polyarch.Invoker.Docker" || n.StartsWith("Polyarch.Invoker.Docker.", StringComparison.Ordinal))
            .Distinct()
            .ShouldBeEmpty();
    }

    [Fact]
    public void Each_project_logs_in_its_own_event_id_range_and_none_repeats()
    {
        (Assembly Assembly, int From, int To)[] ranges =
        [
            (Core, 1000, 1999), (Docker, 2000, 2999), (Kubernetes, 6000, 6999), (Triggers, 7000, 7999), (Executable, 8000, 8999),
        ];
        var registry = EventIds(typeof(ImageReference).Assembly);
        registry.ShouldNotBeEmpty();
        registry.ShouldAllBe(e => e.Id >= 3000 && e.Id < 4000);

        var all = new List<(int Id, string Method)>();
        foreach (var (assembly, from, to) in ranges)
        {
            var ids = EventIds(assembly);
            ids.ShouldNotBeEmpty(assembly.GetName().Name);
            ids.Where(e => e.Id < from || e.Id > to).Select(e => $"{assembly.GetName().Name}: {e.Id} {e.Method}").ShouldBeEmpty();
            all.AddRange(ids);
        }

        all.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ShouldBeEmpty();
    }

    public static TheoryData<string, string[]> TestProjects => new()
    {
        // test project (under tests/), exactly the projects it references
        { "Polyarch.Invoker.Testing", ["Polyarch.Invoker.Core", "Polyarch.Testing"] },
        { "Polyarch.Invoker.Core.Tests", ["Polyarch.Invoker.Core", "Polyarch.Invoker.Testing", "Polyarch.Testing"] },
        { "Polyarch.Invoker.Docker.Tests", ["Polyarch.Invoker.Docker", "Polyarch.Invoker.Testing", "Polyarch.Testing"] },
        { "Polyarch.Invoker.Triggers.Tests", ["Polyarch.Invoker.Triggers", "Polyarch.Invoker.Testing", "Polyarch.Testing"] },
        // Its CLI and deployment start-up tests run the executable with Invoker:Backend=Kubernetes.
        { "Polyarch.Invoker.Kubernetes.Tests", ["Polyarch.Invoker", "Polyarch.Invoker.Kubernetes.ApiServerDouble"] },
        { "Polyarch.Invoker.Tests", ["Polyarch.Invoker", "Polyarch.Invoker.Testing", "Polyarch.Testing"] },
    };

    [Theory]
    [MemberData(nameof(TestProjects))]
    public void Each_test_project_references_only_its_project_and_test_support(string project, string[] expected)
    {
        var path = RepositoryRoot.Combine("tests", project, $"{project}.csproj");

        var references = XDocument.Load(path).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .Order(StringComparer.Ordinal);

        references.ShouldBe(expected.Order(StringComparer.Ordinal), $"{path} references");
    }

    [Fact]
    public void Every_invoker_test_project_is_in_the_layout_table()
    {
        var listed = TestProjects.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);

        Directory.GetDirectories(RepositoryRoot.Combine("tests"), "Polyarch.Invoker*.Tests")
            .Select(Path.GetFileName)
            .Where(name => !listed.Contains(name!))
            .ShouldBeEmpty("add each invoker test project to TestProjects with the one project it tests");
    }

    private static Assembly ByName(string name) =>
        new[] { Core, Docker, Kubernetes, Triggers, Executable }.Single(a => a.GetName().Name == name);

    private static List<(int Id, string Method)> EventIds(Assembly assembly) =>
    [
        .. assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => (m.Attribute!.EventId, $"{m.Method.DeclaringType!.Name}.{m.Method.Name}")),
    ];
}
