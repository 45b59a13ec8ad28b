using System.Reflection;
using Microsoft.Extensions.Logging;
using Polyarch.Invoker.Invocation;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Tests.Hosting;

/// <summary>
/// Each project logs with its own EventIds: the invoker's never repeat one another nor fall in registry/'s range
/// (3000–3999), so a log query by EventId names one message (invoker/README.md, "Logging").
/// </summary>
public sealed class EventIdRangeTests
{
    [Fact]
    public void The_invokers_event_ids_are_unique_and_outside_the_registrys_range()
    {
        var invoker = EventIds(typeof(ActionInvoker).Assembly);
        var registry = EventIds(typeof(ImageReference).Assembly);

        invoker.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ShouldBeEmpty();
        invoker.Where(e => e.Id is >= 3000 and < 4000).Select(e => $"{e.Id} {e.Method}").ShouldBeEmpty();
        registry.ShouldNotBeEmpty();
        registry.ShouldAllBe(e => e.Id >= 3000 && e.Id < 4000);
    }

    private static List<(int Id, string Method)> EventIds(Assembly assembly) =>
    [
        .. assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => (m.Attribute!.EventId, $"{m.Method.DeclaringType!.Name}.{m.Method.Name}")),
    ];
}
