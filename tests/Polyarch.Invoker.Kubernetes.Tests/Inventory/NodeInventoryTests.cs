using Polyarch.Invoker.Kubernetes.Tests.Support;
using static Polyarch.Invoker.Kubernetes.ApiServerDouble.NodeFactory;

namespace Polyarch.Invoker.Kubernetes.Tests.Inventory;

/// <summary>The node inventory lists once, then follows the watch; a compacted watch (410 Gone) makes it list again.</summary>
public sealed class NodeInventoryTests : MixedClusterBackendTests
{
    [Fact]
    public void The_first_list_shows_every_node_with_platform_resources_accelerators_taints_and_locality()
    {
        var snapshot = Harness.Backend.Inventory.Snapshot;

        snapshot.ByPlatform.Keys.Order().ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"]);
        var gpu = snapshot.ByName[MixedCluster.Gpu];
        gpu.Schedulable.ShouldBeTrue();
        gpu.Allocatable.ShouldBe(new Kubernetes.Inventory.NodeResources(8000, 32L << 30, 1, 0));
        gpu.Accelerators.ShouldBe(["nvidia.com/gpu.product=Tesla-T4"]);
        gpu.Taints.Single().ToString().ShouldBe("nvidia.com/gpu=present:NoSchedule");
        snapshot.ByName[MixedCluster.Amd64].Labels["polyarch.io/dataset"].ShouldBe("sales");
    }

    [Fact]
    public async Task Node_changes_arrive_through_the_watch_without_listing_again()
    {
        var inventory = Harness.Backend.Inventory;
        Server.ClearCalls();

        Server.AddNode(Node("arm64-2", "arm64", memory: "64Gi"));
        Server.UpdateNode(Node(MixedCluster.Ppc64le, "ppc64le", cordoned: true));
        Server.UpdateNode(Node(MixedCluster.Arm64, "arm64", ready: false));

        await Eventually.TrueAsync(() => inventory.Snapshot.ByName.ContainsKey("arm64-2") && !inventory.Snapshot.ByName[MixedCluster.Arm64].Ready, "watch events applied");
        inventory.Snapshot.ByName[MixedCluster.Ppc64le].Cordoned.ShouldBeTrue();
        inventory.Snapshot.SchedulableOn("linux/arm64").Select(n => n.Name).ShouldBe(["arm64-2"]);
        inventory.Lists.ShouldBe(1);
        // The watch request itself may be (re)opened after ClearCalls on a loaded machine (it resumes from its
        // resourceVersion); what must not happen is a list: only watch calls are allowed here.
        Server.Calls.Where(c => !c.IsWatch).ShouldBeEmpty("the watch delivers the changes, nothing is listed again");

        Server.RemoveNode("arm64-2");
        await Eventually.TrueAsync(() => !inventory.Snapshot.ByName.ContainsKey("arm64-2"), "deleted node removed");
    }

    [Fact]
    public async Task A_compacted_watch_gets_410_Gone_and_the_inventory_lists_again()
    {
        var inventory = Harness.Backend.Inventory;

        Server.Compact();
        Server.AddNode(Node("after-compaction", "amd64"));

        await Eventually.TrueAsync(() => inventory.Snapshot.ByName.ContainsKey("after-compaction"), "node added after the compaction is seen");
        inventory.Lists.ShouldBe(2);
        Server.Calls.Count(c => c.Path == "/api/v1/nodes" && !c.IsWatch).ShouldBe(2);
    }
}
