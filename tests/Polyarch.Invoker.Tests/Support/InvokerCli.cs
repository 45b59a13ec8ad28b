using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Support;

/// <summary>Runs the real polyarch-invoker executable with a private state directory and this run's labels.</summary>
internal static class InvokerCli
{
    public static Task<BufferedCommandResult> RunAsync(string state, params string[] arguments) =>
        Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, "polyarch-invoker.dll"), .. arguments])
            .WithEnvironmentVariables(env => env
                .Set("POLYARCH_STATE_DIR", state)
                .Set("POLYARCH_Invoker__InstanceId", $"t{TestRun.Id}-cli")
                .Set($"POLYARCH_Docker__ExtraLabels__{TestRun.LabelKey}", TestRun.Id))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);

    /// <summary>The non-empty lines of a stream.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A loopback port nothing listens on.</summary>
    public static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
