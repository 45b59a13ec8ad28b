using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Webhooks;

/// <summary>GitHub's "Redeliver" keeps the delivery id: a failed build runs again, anything else stays one build.</summary>
public sealed class WebhookRedeliveryTests : IDisposable
{
    private const string Delivery = "5c1b2f7e-3d4a-11f0-9b1e-0242ac120002";
    private readonly BuilderAppFactory _factory = new();
    private readonly HttpClient _client;

    public WebhookRedeliveryTests()
    {
        _client = _factory.CreateClient();
    }

    private IBuildStore Store => _factory.Services.GetRequiredService<IBuildStore>();

    private async Task<JsonObject> DeliverAsync()
    {
        using var response = await _client.SendAsync(WebhookPayloads.GitHub(WebhookPayloads.GitHubPush(), delivery: Delivery));
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<string> FinishFirstAsync(BuildStatus status)
    {
        var id = (await DeliverAsync())["buildId"]!.GetValue<string>();
        (await Store.ClaimNextAsync(CancellationToken.None))!.Id.ShouldBe(id);
        if (status != BuildStatus.Running)
        {
            var error = status == BuildStatus.Failed ? new BuildError("The registry 127.0.0.1:5000 does not answer.", 3) : null;
            await Store.FinishAsync(id, status, [], [], [], [], error, new Dictionary<string, string> { ["linux/arm64"] = "old log" }, CancellationToken.None);
        }

        return id;
    }

    [Fact]
    public async Task A_redelivery_of_a_failed_build_queues_it_again()
    {
        var id = await FinishFirstAsync(BuildStatus.Failed);

        var redelivered = await DeliverAsync();

        redelivered["buildId"]!.GetValue<string>().ShouldBe(id);
        redelivered["requeued"]!.GetValue<bool>().ShouldBeTrue();
        redelivered["duplicate"]!.GetValue<bool>().ShouldBeFalse();
        var build = (await Store.GetAsync(id, CancellationToken.None))!;
        build.Status.ShouldBe(BuildStatus.Queued);
        build.Error.ShouldBeNull();
        (await Store.GetLogsAsync(id, CancellationToken.None)).ShouldBeEmpty();
        (await Store.ClaimNextAsync(CancellationToken.None))!.Attempts.ShouldBe(2);
        (await _client.GetFromJsonAsync<JsonArray>("/v1/builds"))!.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(BuildStatus.Succeeded)]
    [InlineData(BuildStatus.Running)]
    public async Task A_redelivery_of_a_succeeded_or_running_build_stays_a_duplicate(BuildStatus status)
    {
        var id = await FinishFirstAsync(status);

        var redelivered = await DeliverAsync();

        redelivered["buildId"]!.GetValue<string>().ShouldBe(id);
        redelivered["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        redelivered["requeued"]!.GetValue<bool>().ShouldBeFalse();
        (await Store.GetAsync(id, CancellationToken.None))!.Status.ShouldBe(status);
    }

    [Fact]
    public async Task A_redelivery_of_a_queued_build_stays_a_duplicate()
    {
        var first = await DeliverAsync();

        var redelivered = await DeliverAsync();

        redelivered["buildId"]!.GetValue<string>().ShouldBe(first["buildId"]!.GetValue<string>());
        redelivered["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        (await Store.GetAsync(first["buildId"]!.GetValue<string>(), CancellationToken.None))!.Attempts.ShouldBe(0);
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }
}
