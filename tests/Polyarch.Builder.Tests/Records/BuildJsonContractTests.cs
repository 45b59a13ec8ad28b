using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Client;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Tests.Records;

/// <summary>
/// Issue 18, P4: what the CLI and the service exchange is (de)serialised from source-generated metadata, and the JSON is byte
/// for byte what the reflection-based <see cref="BuildJson.Options"/> wrote before (names, enum strings, nulls left out).
/// </summary>
public sealed class BuildJsonContractTests
{
    // BuildJson.Options as it was: the same settings and converters, every contract by reflection.
    private static readonly JsonSerializerOptions Reflection = new(BuildJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    // serve.json as it was written and read: web defaults, by reflection.
    private static readonly JsonSerializerOptions WebReflection = new(JsonSerializerDefaults.Web);

    public static TheoryData<Type> ExchangedTypes() =>
    [
        typeof(BuildRecord), typeof(List<BuildRecord>), typeof(BuildSubmission), typeof(BuilderServiceClient.SubmitAnswer),
        typeof(BuilderServiceClient.BuildEvent), typeof(ServiceEndpointRecord),
    ];

    [Theory]
    [MemberData(nameof(ExchangedTypes))]
    public void What_the_cli_exchanges_comes_from_the_generated_context_not_reflection(Type type)
    {
        BuildJson.Options.GetTypeInfo(type).OriginatingResolver.ShouldBeOfType<BuildJsonContext>();
    }

    [Fact]
    public void Serve_json_is_read_from_the_generated_context_with_the_same_json()
    {
        var record = new ServiceEndpointRecord("http://127.0.0.1:5080", "instance-1", 4242);

        ServiceEndpointRecord.JsonOptions.GetTypeInfo(typeof(ServiceEndpointRecord)).OriginatingResolver.ShouldBeOfType<BuildJsonContext>();
        JsonSerializer.Serialize(record, ServiceEndpointRecord.JsonOptions)
            .ShouldBe(JsonSerializer.Serialize(record, WebReflection));
    }

    [Fact]
    public void A_populated_record_serialises_exactly_as_the_reflection_contract_did()
    {
        var record = Populated();

        var generated = JsonSerializer.Serialize(record, BuildJson.Options);

        generated.ShouldBe(JsonSerializer.Serialize(record, Reflection));
        generated.ShouldContain("\"status\":\"succeeded\"");
        generated.ShouldContain("\"createdAt\":\"2026-11-30T22:00:00+00:00\"");
        generated.ShouldNotContain("\"supersededBy\""); // null: left out
    }

    [Fact]
    public void A_record_written_by_the_reflection_contract_reads_back_to_the_same_json()
    {
        var written = JsonSerializer.Serialize(Populated(), Reflection);

        var read = JsonSerializer.Deserialize<BuildRecord>(written, BuildJson.Options)!;

        JsonSerializer.Serialize(read, Reflection).ShouldBe(written);
        read.Status.ShouldBe(BuildStatus.Succeeded);
        read.Warnings.ShouldBe(["cache export skipped"]);
        read.Request.TraceParent.ShouldBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    [Fact]
    public void Events_answers_and_submissions_match_the_reflection_contract_both_ways()
    {
        object[] values =
        [
            new BuilderServiceClient.BuildEvent(new PlatformProgress("linux/arm64", 3, 7, "RUN make", false, TimeSpan.FromMilliseconds(1234.5)), null),
            new BuilderServiceClient.BuildEvent(null, Populated() with { Status = BuildStatus.Failed }),
            new BuilderServiceClient.SubmitAnswer(Populated(), Created: false, Requeued: true),
            new BuildSubmission("/src/echo", Ref: "main", Platforms: ["linux/amd64", "linux/ppc64le"], Trigger: "cli"),
            new List<BuildRecord> { Populated(), Populated() with { Id = "b2", Error = null } },
            new ServiceEndpointRecord("http://127.0.0.1:5080", "instance-1", 4242),
        ];

        foreach (var value in values)
        {
            var type = value.GetType();
            var reflected = JsonSerializer.Serialize(value, type, Reflection);
            JsonSerializer.Serialize(value, type, BuildJson.Options).ShouldBe(reflected, type.Name);
            // What the Native AOT hand-off speaks: the generated context alone, no reflection anywhere.
            JsonSerializer.Serialize(value, type, BuildJsonContext.Default.Options).ShouldBe(reflected, type.Name);
            JsonSerializer.Serialize(JsonSerializer.Deserialize(reflected, type, BuildJsonContext.Default.Options), type, Reflection).ShouldBe(reflected, type.Name);
            JsonSerializer.Serialize(JsonSerializer.Deserialize(reflected, type, BuildJson.Options), type, Reflection).ShouldBe(reflected, type.Name);
        }
    }

    [Fact]
    public void Names_are_read_case_insensitively_and_enums_by_name_as_before()
    {
        const string json = """{"Progress":{"PLATFORM":"linux/amd64","done":1,"total":2,"failed":false,"duration":"00:00:01"},"build":null}""";

        var generated = JsonSerializer.Deserialize<BuilderServiceClient.BuildEvent>(json, BuildJson.Options)!;

        generated.ShouldBe(JsonSerializer.Deserialize<BuilderServiceClient.BuildEvent>(json, Reflection));
        generated.Progress!.Platform.ShouldBe("linux/amd64");
        JsonSerializer.Deserialize<BuildStatus>("\"cancelled\"", BuildJson.Options).ShouldBe(BuildStatus.Cancelled);
    }

    [Fact]
    public void The_native_reports_json_is_the_reflection_contract_of_the_anonymous_shapes_it_replaced()
    {
        var record = Populated();
        var error = record.Error!;

        JsonSerializer.Serialize(new Polyarch.Builder.Cli.BuildReportDocument(record, true), BuildJsonContext.Default.BuildReportDocument)
            .ShouldBe(JsonSerializer.Serialize(new { build = record, reused = true }, Reflection));
        JsonSerializer.Serialize(new Polyarch.Builder.Cli.ErrorDocument(new(error.Message, 1, "b1", error.Platform, error.Step, error.LogTail)), BuildJsonContext.Default.ErrorDocument)
            .ShouldBe(JsonSerializer.Serialize(new { error = new { message = error.Message, exitCode = 1, buildId = "b1", platform = error.Platform, step = error.Step, logTail = error.LogTail } }, Reflection));
        JsonSerializer.Serialize(new Polyarch.Builder.Cli.ErrorDocument(new("bad", 2, null, null, null, null)), BuildJsonContext.Default.ErrorDocument)
            .ShouldBe("""{"error":{"message":"bad","exitCode":2}}""");
    }

    [Fact]
    public void Service_discovery_reads_the_keys_the_options_bind()
    {
        ServiceDiscovery.StateDirectoryKey.ShouldBe($"{BuilderOptions.SectionName}:{nameof(BuilderOptions.StateDirectory)}");
        ServiceDiscovery.ApiKeyKey.ShouldBe($"{Polyarch.Builder.Fitness.BuilderServiceOptions.SectionName}:{nameof(Polyarch.Builder.Fitness.BuilderServiceOptions.ApiKey)}");
    }

    private static BuildRecord Populated() =>
        new(
            "b1",
            new BuildRequest("file:///src/echo", "127.0.0.1:5000", "demo/echo", new string('a', 40), "feature/x", false, ["linux/amd64", "linux/arm64"], "cli")
            {
                TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            },
            BuildStatus.Succeeded,
            new DateTimeOffset(2026, 11, 30, 22, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 11, 30, 22, 0, 1, TimeSpan.FromHours(1)),
            new DateTimeOffset(2026, 11, 30, 22, 0, 3, 250, TimeSpan.Zero),
            2,
            "b0",
            null,
            [new BuiltImage("default", "127.0.0.1:5000", "demo/echo", "sha256:" + new string('b', 64), ["aaaaaaaaaaaa", "feature-x"],
                [new PlatformDigest("linux/amd64", "sha256:" + new string('c', 64), 1234, "amd64"), new PlatformDigest("linux/arm64", "sha256:" + new string('d', 64), 1300, "arm64")])],
            [new PlatformTiming("linux/amd64", 1200, 5, false), new PlatformTiming("linux/arm64", 2200, 5, true)],
            ["push: HTTP 500, retried"],
            new BuildError("linux/arm64 failed", 1, "linux/arm64", "RUN make", "tail \u00e9 \"quoted\""))
        {
            Warnings = ["cache export skipped"],
        };
}
