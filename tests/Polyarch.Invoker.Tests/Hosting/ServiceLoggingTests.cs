using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Polyarch.Invoker.Hosting.Logging;
using Serilog;
using Serilog.Events;

namespace Polyarch.Invoker.Tests.Hosting;

public sealed class ServiceLoggingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("invoker-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Configure_WithAPath_RollsAtTheSizeLimit_KeepsTheRetainedCount_OwnerOnly()
    {
        var options = new ServiceLogOptions { Path = Path.Combine(_dir, "logs", "invoker.log"), FileSizeLimitBytes = 4096, RetainedFileCountLimit = 3 };
        using (var logger = ServiceLogging.Configure(new LoggerConfiguration(), new ConfigurationBuilder().Build(), options).CreateLogger())
        {
            for (var i = 0; i < 500; i++)
            {
                logger.Information("Activation {ActivationId} of {Action}: {Padding}", i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture), "echo", new string('x', 60));
            }
        }

        var files = Directory.GetFiles(Path.Combine(_dir, "logs")).Order(StringComparer.Ordinal).ToList();
        files.Count.ShouldBe(3, string.Join(", ", files));
        files.ShouldContain(f => Path.GetFileName(f).StartsWith("invoker_", StringComparison.Ordinal));
        // The sink checks the limit before each event, so a file may end one event (< 512 bytes here) past it.
        files.ShouldAllBe(f => new FileInfo(f).Length <= 4096 + 512);
        File.ReadAllText(files[^1]).ShouldContain($"Activation {499:x32}");
        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in files)
            {
                File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, file);
            }
        }
    }

    [Fact]
    public void Options_Defaults_RotateAt10MiB_Keep5()
    {
        var options = new ServiceLogOptions();

        options.Path.ShouldBeNull();
        options.FileSizeLimitBytes.ShouldBe(10L * 1024 * 1024);
        options.RetainedFileCountLimit.ShouldBe(5);
        options.ConsoleLevel.ShouldBe(LogEventLevel.Warning);
    }

    [Theory]
    [InlineData("POST", "/v1/actions/echo/invocations", 200, LogEventLevel.Debug)]
    [InlineData("POST", "/V1/Actions/echo/Invocations", 202, LogEventLevel.Debug)]
    [InlineData("GET", "/v1/activations/0123", 200, LogEventLevel.Debug)]
    [InlineData("GET", "/healthz", 200, LogEventLevel.Debug)]
    [InlineData("GET", "/metrics", 200, LogEventLevel.Debug)]
    [InlineData("POST", "/v1/actions/echo/invocations", 503, LogEventLevel.Error)]
    [InlineData("PUT", "/v1/rules/echo", 200, LogEventLevel.Information)]
    [InlineData("PUT", "/v1/actions/echo", 400, LogEventLevel.Information)]
    [InlineData("POST", "/v1/hooks/registry", 202, LogEventLevel.Information)]
    public void RequestLevel_PerActivationCallsAreDebug_ChangesInformation_FailuresErrors(string method, string path, int status, LogEventLevel expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.StatusCode = status;

        ServiceLogging.RequestLevel(context, 1, null).ShouldBe(expected);
    }
}
