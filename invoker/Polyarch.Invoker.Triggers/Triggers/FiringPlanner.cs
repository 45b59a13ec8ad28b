using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Rules;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// Turns a rule that matched an event into its firing: a workflow start (the rule's params are the run's, the trigger
/// says what happened), or one activation per platform of an action. Platforms of an image push come from the pushed
/// index; of an artifact push or a schedule (nothing runnable was pushed) from the action's image.
/// </summary>
internal sealed partial class FiringPlanner(
    IVariantCatalog catalog,
    IActionStore actions,
    IActionBackend backend,
    ILogger<FiringPlanner> logger)
{
    /// <summary>
    /// The firing of a rule for an artifact push or a schedule, keyed (<paramref name="repository"/>,
    /// <paramref name="digest"/>); null when an action's image lacks a platform the rule requires (or the action is gone).
    /// </summary>
    public async Task<Firing?> PlanAsync(RuleDefinition rule, string repository, string digest, WorkflowTrigger trigger, CancellationToken cancellationToken)
    {
        if (rule.Workflow is { } workflow)
        {
            return new Firing(rule.Name, repository, digest, workflow, rule.Params?.DeepClone().AsObject() ?? [], [], workflow, trigger);
        }

        var action = rule.Action!;
        ImageVariants image;
        try
        {
            var definition = await actions.GetAsync(action, cancellationToken) ?? throw new ActionNotFoundException(action);
            image = await catalog.GetAsync(definition.Image, cancellationToken);
        }
        catch (InvokerException exception) when (exception is ActionNotFoundException or ImageResolutionException)
        {
            LogActionUnavailable(exception, rule.Name, action);
            return null;
        }

        var platforms = await PlatformsAsync(rule, image, cancellationToken);
        return platforms is null
            ? null
            : new Firing(rule.Name, repository, digest, action, Params(rule, trigger), [.. platforms.Select(p => new FiringActivation(p, ActivationId.New()))], Trigger: trigger);
    }

    /// <summary>The firing of a workflow rule for an image push.</summary>
    public static Firing PlanWorkflow(RuleDefinition rule, string repository, string digest, WorkflowTrigger trigger) =>
        new(rule.Name, repository, digest, rule.Workflow!, rule.Params?.DeepClone().AsObject() ?? [], [], rule.Workflow, trigger);

    /// <summary>The platforms to run on, or null when the image lacks one the rule requires (a later push may add it).</summary>
    public async Task<IReadOnlyList<string>?> PlatformsAsync(RuleDefinition rule, ImageVariants image, CancellationToken cancellationToken)
    {
        var available = image.Platforms.Distinct(StringComparer.Ordinal).ToList();
        List<string> wanted = rule.Platforms switch
        {
            [RuleDefinition.AllPlatforms] => available,
            [RuleDefinition.NativePlatforms] => [.. (await backend.GetInventoryAsync(cancellationToken)).Platforms.Where(p => !p.Emulated).Select(p => p.Platform)],
            _ => [.. rule.Platforms.Select(Platforms.PlatformName.Normalize)],
        };
        var missing = wanted.Except(available, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || wanted.Count == 0)
        {
            LogWaiting(rule.Name, image.RepositoryName, image.IndexDigest, missing, available);
            return null;
        }

        return wanted;
    }

    /// <summary>An action's params for an artifact push or a schedule: the rule's, and what fired it.</summary>
    private static JsonObject Params(RuleDefinition rule, WorkflowTrigger trigger)
    {
        var parameters = rule.Params?.DeepClone().AsObject() ?? [];
        parameters["trigger"] = trigger.Kind;
        Add(parameters, "registry", trigger.Registry);
        Add(parameters, "repository", trigger.Repository);
        Add(parameters, "tag", trigger.Tag);
        Add(parameters, "digest", trigger.Digest);
        Add(parameters, "mediaType", trigger.MediaType);
        Add(parameters, "artifactType", trigger.ArtifactType);
        if (trigger.Size is { } size)
        {
            parameters["size"] = size;
        }

        if (trigger.ScheduledAt is { } at)
        {
            parameters["scheduledAt"] = at.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        }

        return parameters;
    }

    private static void Add(JsonObject parameters, string name, string? value)
    {
        if (value is not null)
        {
            parameters[name] = value;
        }
    }

    [LoggerMessage(EventId = 7210, Level = LogLevel.Warning, Message = "Rule {Rule} matches but its action {Action} cannot be read (deleted, or its image is unavailable): it does not fire for this event")]
    private partial void LogActionUnavailable(Exception exception, string rule, string action);

    [LoggerMessage(EventId = 7204, Level = LogLevel.Information, Message = "Rule {Rule} waits: {Repository}@{Digest} lacks {Missing} (it has {Available}); a later push of more platforms fires it")]
    private partial void LogWaiting(string rule, string repository, string digest, IReadOnlyList<string> missing, IReadOnlyList<string> available);
}
