using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Tests.Hosting;

/// <summary>
/// The warm-up's hand-off POST streams its body in two chunks with a pause between them, so the service's body reading,
/// JSON binding and middleware take their asynchronous paths before a CLI's first hand-off (issue 18, P5). A Kestrel that
/// records how the body arrives stands in for the service.
/// </summary>
public sealed class WarmUpRequestPathTests
{
    [Fact]
    public async Task The_submission_arrives_chunked_in_two_parts_and_the_second_waits_for_the_pause()
    {
        var time = new FakeTimeProvider();
        var firstPart = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        string? encoding = null, body = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/healthz", () => Results.Ok());
        app.MapPost("/v1/builds", async (HttpRequest request) =>
        {
            encoding = request.Headers.TransferEncoding.ToString();
            var read = await request.BodyReader.ReadAsync();
            firstPart.TrySetResult(System.Text.Encoding.UTF8.GetString(read.Buffer.ToArray()));
            request.BodyReader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            while (!read.IsCompleted)
            {
                read = await request.BodyReader.ReadAsync();
                request.BodyReader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }

            body = System.Text.Encoding.UTF8.GetString(read.Buffer.ToArray());
            return Results.BadRequest();
        });
        app.MapGet("/v1/builds/{id}/events", () => Results.NotFound());
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var warming = ServiceWarmUpPieces.RequestPath(address, "/no/such/repository", time).RunAsync(CancellationToken.None);
        var first = await firstPart.Task.WaitAsync(TimeSpan.FromSeconds(30));
        first.ShouldStartWith("{\"source\":");
        first.ShouldNotEndWith("}", "the whole body came at once");
        await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        warming.IsCompleted.ShouldBeFalse("the second part came before the pause was over");

        time.Advance(TimeSpan.FromMilliseconds(50));
        await warming.WaitAsync(TimeSpan.FromSeconds(30));
        encoding.ShouldBe("chunked");
        body.ShouldBe("""{"source":"/no/such/repository","platforms":["linux/amd64"],"registry":"127.0.0.1:5000","repository":"warm-up","trigger":"cli"}""");
    }
}
