using Polyarch.Invoker.Rules;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>Rules that start workflows, fire on artifact pushes or on schedules: each mistake named by its flag, with the accepted form.</summary>
public sealed class DataTriggerRuleValidationTests
{
    private const string Dataset = "application/vnd.polyarch.dataset.v1";

    [Theory]
    // Valid.
    [InlineData("demo/digits", "*", null, "retrain", Dataset, null, null, "all", null)]
    [InlineData("demo/digits", "batch-*", "train", null, Dataset, null, null, "linux/amd64", null)]
    [InlineData("demo/echo", "*", null, "retrain", null, null, null, "all", null)]
    [InlineData(null, "*", null, "retrain", null, "*/5 * * * *", null, "all", null)]
    [InlineData(null, "*", "report", null, null, "0 3 * * MON-FRI", "Europe/Berlin", "native", null)]
    [InlineData(null, "*", "report", null, null, "*/10 * * * * *", null, "all", null)]
    [InlineData(null, "*", "report", null, null, "@hourly", null, "all", null)]
    // A rule fires on pushes or on a clock.
    [InlineData("demo/echo", "*", null, "retrain", null, "*/5 * * * *", null, "all", "Repository (--repository) 'demo/echo' and schedule (--schedule) exclude each other")]
    [InlineData(null, "*", null, "retrain", null, null, null, "all", "Repository (--repository) is required")]
    [InlineData(null, "v*", null, "retrain", null, "*/5 * * * *", null, "all", "Tag (--tag) applies to pushes")]
    [InlineData(null, "*", null, "retrain", Dataset, "*/5 * * * *", null, "all", "Artifact type (--artifact-type) and schedule (--schedule) exclude each other")]
    // A bad cron names the flag and the accepted form.
    [InlineData(null, "*", null, "retrain", null, "*/5 * *", null, "all", "Schedule (--schedule) '*/5 * *' is not a cron expression: use five fields 'minute hour day-of-month month day-of-week' such as '*/5 * * * *'")]
    [InlineData(null, "*", null, "retrain", null, "61 * * * *", null, "all", "is not a cron expression")]
    [InlineData(null, "*", null, "retrain", null, "every five minutes", null, "all", "is not a cron expression")]
    [InlineData(null, "*", null, "retrain", null, "*/5 * * * *", "Mars/Olympus", "all", "Time zone (--time-zone) 'Mars/Olympus' is not a time zone id: use an IANA id such as Europe/Berlin")]
    [InlineData("demo/echo", "*", null, "retrain", null, null, "UTC", "all", "Time zone (--time-zone) applies to a schedule")]
    // An action or a workflow, not both; artifacts and schedules need one.
    [InlineData("demo/echo", "*", "train", "retrain", null, null, null, "all", "Action (--action) and workflow (--workflow) exclude each other")]
    [InlineData(null, "*", null, null, null, "*/5 * * * *", null, "all", "A scheduled rule (--schedule) has no pushed image to run: give --action ACTION or --workflow WORKFLOW")]
    [InlineData("demo/digits", "*", null, null, Dataset, null, null, "all", "An artifact rule (--artifact-type) has no image to run")]
    [InlineData("demo/digits", "*", null, "retrain", "not a type", null, null, "all", "Artifact type (--artifact-type) 'not a type' must be a media type")]
    [InlineData("demo/digits", "*", null, "re train", null, null, null, "all", "Workflow (--workflow) 're train' must be a workflow name")]
    [InlineData("demo/digits", "*", null, "retrain", null, null, null, "linux/amd64", "Platforms (--platforms) apply to an action")]
    public void Validate_NamesTheFlag(string? repository, string tag, string? action, string? workflow, string? artifactType, string? schedule, string? timeZone, string platforms, string? expected)
    {
        var rule = new RuleDefinition
        {
            Name = "r",
            Repository = repository,
            Tag = tag,
            Action = action,
            Workflow = workflow,
            ArtifactType = artifactType,
            Schedule = schedule,
            TimeZone = timeZone,
            Platforms = platforms.Split(','),
        };

        var errors = RuleValidator.Validate(rule);

        if (expected is null)
        {
            errors.ShouldBeEmpty();
        }
        else
        {
            errors.ShouldHaveSingleItem().ShouldContain(expected);
        }
    }

    [Theory]
    [InlineData(null, null, RuleDefinition.PushEvent)]
    [InlineData(Dataset, null, RuleDefinition.ArtifactEvent)]
    [InlineData(null, "@daily", RuleDefinition.ScheduleEvent)]
    public void Event_FollowsWhatTheRuleNames(string? artifactType, string? schedule, string expected) =>
        new RuleDefinition { Name = "r", ArtifactType = artifactType, Schedule = schedule }.Event.ShouldBe(expected);
}
