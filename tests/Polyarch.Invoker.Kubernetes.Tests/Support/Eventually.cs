namespace Polyarch.Invoker.Kubernetes.Tests.Support;

/// <summary>Waits for a condition that an asynchronous watch will make true (bounded so a bug fails instead of hanging).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        condition().ShouldBeTrue($"still not true after 10 s: {what}");
    }
}
