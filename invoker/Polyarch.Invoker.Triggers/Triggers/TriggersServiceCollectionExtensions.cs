using Microsoft.Extensions.DependencyInjection.Extensions;
using Polyarch.Invoker.Rules;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Triggers;

/// <summary>Registers rules, the registry webhook's stores, the push processor and reconciliation.</summary>
internal static class TriggersServiceCollectionExtensions
{
    /// <summary>Stores and rule service (the CLI needs these too).</summary>
    public static IServiceCollection AddPolyarchTriggers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TriggerOptions>().Bind(configuration.GetSection(TriggerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TriggerDatabase>();
        services.AddSingleton<IRuleStore, DbRuleStore>();
        services.AddSingleton<PushStore>();
        services.AddSingleton<FiringStore>();
        services.AddSingleton<TriggerSignal>();
        services.AddSingleton<TriggerMetrics>();
        services.AddSingleton<ScheduleStore>();
        services.AddSingleton<FiringPlanner>();
        services.AddSingleton<FiringRunner>();
        services.AddSingleton<ScheduleRunner>();
        // The workflow engine registers the real starter; until it is there, rules cannot name a workflow.
        services.TryAddSingleton<IWorkflowStarter, NoWorkflowEngine>();
        services.AddSingleton<PushProcessor>();
        services.AddSingleton<Reconciler>();
        services.AddSingleton<RuleService>();
        services.AddSingleton<WebhookToken>();
        services.AddSingleton<TriggerRegistries>();
        services.AddSingleton<PushPathWarmUp>();
        return services;
    }

    /// <summary>The background loops of `serve`.</summary>
    public static IServiceCollection AddPolyarchTriggerProcessing(this IServiceCollection services)
    {
        services.AddHostedService(sp => sp.GetRequiredService<PushProcessor>());
        services.AddHostedService(sp => sp.GetRequiredService<Reconciler>());
        services.AddHostedService(sp => sp.GetRequiredService<ScheduleRunner>());
        return services;
    }
}
