using Microsoft.Extensions.Configuration;
using Polyarch.Builder.Hosting.Logging;
using Serilog;
using Serilog.Events;

namespace Polyarch.Builder.Tests.Hosting;

public sealed class ServiceLoggingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("builder-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Configure_WithAPath_RollsAtTheSizeLimit_KeepsTheRetainedCount_OwnerOnly()
    {
        var options = new ServiceLogOptions { Path = Path.Combine(_dir, "logs", "builder.log"), FileSizeLimitBytes = 4096, RetainedFileCountLimit = 3 };
        using (var logger = ServiceLogging.Configure(new LoggerConfiguration(), new ConfigurationBuilder().Build(), options).CreateLogger())
        {
            for (var i = 0; i < 500; i++)
            {
                logger.Information("Build {BuildId} step {Step}: {Padding}", "b0123456789abcdef", i, new string('x', 60));
            }
        }

        var files = Directory.GetFiles(Path.Combine(_dir, "logs")).Order(StringComparer.Ordinal).ToList();
        files.Count.ShouldBe(3, string.Join(", ", files));
        files.ShouldContain(f => Path.GetFileName(f).StartsWith("builder_", StringComparison.Ordinal));
        // The sink checks the limit before each event, so a file may end one event (< 512 bytes here) past it.
        files.ShouldAllBe(f => new FileInfo(f).Length <= 4096 + 512);
        File.ReadAllText(files[^1]).ShouldContain("step 499");
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
}
