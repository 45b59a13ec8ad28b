using System.CommandLine;
using System.Text.Json;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Json;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>`polyarch-invoker platforms`: what the backend can run.</summary>
internal static class PlatformsCommand
{
    public static Command Create()
    {
        var output = CliOptions.Output();
        var backend = BackendOption.Create();
        var command = new Command("platforms", "List the platforms the backend runs (Docker: native and QEMU-emulated; Kubernetes: nodes by platform)") { output, backend };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = CliOptions.IsJson(parseResult.GetValue(output));
            await using var services = CliHost.Create(BackendOption.Overrides(parseResult.GetValue(backend)));
            try
            {
                if (BackendOption.IsKubernetes(parseResult.GetValue(backend)))
                {
                    return await KubernetesPlatformsCommand.PrintAsync(services, json, cancellationToken);
                }

                var inventory = await services.GetRequiredService<IActionBackend>().GetInventoryAsync(cancellationToken);
                if (json)
                {
                    Console.WriteLine(JsonSerializer.Serialize(inventory, InvokerJson.Indented));
                }
                else
                {
                    Console.WriteLine($"{inventory.Backend} on {inventory.Node}: {inventory.Cpus} CPUs, {inventory.MemoryBytes >> 20} MiB, {inventory.Gpus} GPU(s)");
                    foreach (var platform in inventory.Platforms)
                    {
                        Console.WriteLine($"  {platform.Platform,-16} {(platform.Emulated ? "emulated (QEMU)" : "native")}");
                    }
                }

                return ExitCodes.Success;
            }
            catch (Exception exception) when (CliErrors.IsReportable(exception))
            {
                return await CliErrors.ReportAsync(exception, json);
            }
        });
        return command;
    }
}
