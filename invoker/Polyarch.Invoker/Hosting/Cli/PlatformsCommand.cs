using System.CommandLine;
using Polyarch.Invoker.Hosting.Client;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>`polyarch-invoker platforms`: what the backend can run (this machine's, or a service's with --url).</summary>
internal static class PlatformsCommand
{
    public static Command Create()
    {
        var output = CliOptions.Output();
        var backend = BackendOption.Create();
        var context = BackendOption.CreateContext();
        var command = ClientOptions.AddTo(new Command("platforms", "List the platforms the backend runs (Docker: native and QEMU-emulated; Kubernetes: nodes by platform)") { output, backend, context });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(
            parseResult,
            async (api, format) =>
            {
                if (BackendOption.IsKubernetes(parseResult.GetValue(backend)) && api is LocalInvokerApi local)
                {
                    return await KubernetesPlatformsCommand.PrintAsync(local.Services, format, cancellationToken);
                }

                var inventory = await api.GetInventoryAsync(cancellationToken);
                if (format != OutputFormat.Table)
                {
                    StructuredOutput.Write(Console.Out, inventory, format);
                    return ExitCodes.Success;
                }

                Console.WriteLine($"{inventory.Backend} on {inventory.Node}: {inventory.Cpus} CPUs, {inventory.MemoryBytes >> 20} MiB, {inventory.Gpus} GPU(s)");
                foreach (var platform in inventory.Platforms)
                {
                    Console.WriteLine($"  {platform.Platform,-16} {(platform.Emulated ? "emulated (QEMU)" : "native")}");
                }

                return ExitCodes.Success;
            },
            BackendOption.Overrides(parseResult.GetValue(backend), parseResult.GetValue(context))));
        return command;
    }
}
