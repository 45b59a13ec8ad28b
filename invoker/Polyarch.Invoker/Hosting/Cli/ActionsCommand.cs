using System.CommandLine;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Hosting.Client;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>`polyarch-invoker actions create|get|list|delete`, on the local state or a service (--url).</summary>
internal static class ActionsCommand
{
    public static Command Create() => new("actions", "Manage actions") { CreateVerb(), GetVerb(), ListVerb(), DeleteVerb() };

    private static Command CreateVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The action's name" };
        var image = new Option<string>("--image") { Description = "Image reference", Required = true };
        var protocol = new Option<ActionProtocol?>("--protocol") { Description = "http or exec (default: the image's io.polyarch.action.protocol label, else http)" };
        var memory = new Option<int>("--memory") { Description = "Memory limit in MiB", DefaultValueFactory = _ => ActionDefinition.DefaultMemoryMb };
        var cpus = new Option<double>("--cpus") { Description = "CPU quota", DefaultValueFactory = _ => 1 };
        var gpus = new Option<int>("--gpus") { Description = "GPUs required (Docker: a device request; Kubernetes: nvidia.com/gpu)" };
        var gpuProduct = new Option<string?>("--gpu-product") { Description = "GPU model, e.g. Tesla-T4 (Kubernetes: node selector nvidia.com/gpu.product); needs --gpus" };
        var tpus = new Option<int>("--tpus") { Description = "TPUs required (Kubernetes: google.com/tpu; the Docker backend has none)" };
        var timeout = new Option<int>("--timeout") { Description = "Time limit in ms", DefaultValueFactory = _ => ActionDefinition.DefaultTimeoutMs };
        var env = new Option<string[]>("--env", "-e") { Description = "KEY=VALUE environment variable; repeatable" };
        var prefer = new Option<string[]>("--prefer-platform") { Description = "Platform to try first; repeatable" };
        var require = new Option<string[]>("--require-platform") { Description = "Only platform allowed; repeatable" };
        var noEmulation = new Option<bool>("--no-emulation") { Description = "Never run this action under QEMU emulation" };
        var preferNode = new Option<string[]>("--prefer-node") { Description = "Data locality: prefer nodes labelled LABEL=VALUE, with weight 1-100 (default 50), e.g. polyarch.io/dataset=sales:80; repeatable (Kubernetes backend)" };
        var prewarm = new Option<int>("--prewarm") { Description = "Warm containers to keep ready per platform (serve)" };
        var code = new Option<string?>("--code") { Description = "The action's code for a runtime image (--image): a source file (text), a notebook (.ipynb), a .zip, a .tar.gz or a directory (zipped)" };
        var main = new Option<string?>("--main") { Description = "The function the runtime calls (default main; with --code)" };
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("create", "Create or replace an action") { name, image, protocol, memory, cpus, gpus, gpuProduct, tpus, timeout, env, prefer, require, noEmulation, preferNode, prewarm, code, main, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parseResult.GetValue(env) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new FormatException($"--env {pair} is not KEY=VALUE.");
                }

                environment[pair[..equals]] = pair[(equals + 1)..];
            }

            var actionName = parseResult.GetValue(name)!;
            // The code is read here and sent as it is; the local state or the service checks it against its own cap.
            var maxCodeBytes = CliHost.Configuration().GetSection(InvokerOptions.SectionName).Get<InvokerOptions>()?.MaxCodeBytes ?? new InvokerOptions().MaxCodeBytes;
            if (parseResult.GetValue(main) is not null && parseResult.GetValue(code) is null)
            {
                throw new InvalidActionException(["--main names the function of the action's code: give the code with --code PATH too."]);
            }

            var actionCode = parseResult.GetValue(code) is { } codePath ? ActionCodeFile.Read(actionName, codePath, parseResult.GetValue(main), maxCodeBytes) : null;
            var action = new ActionDefinition
            {
                Name = actionName,
                Code = actionCode,
                Image = parseResult.GetValue(image)!,
                Protocol = parseResult.GetValue(protocol),
                MemoryMb = parseResult.GetValue(memory),
                Cpus = parseResult.GetValue(cpus),
                Gpus = parseResult.GetValue(gpus),
                GpuProduct = parseResult.GetValue(gpuProduct),
                Tpus = parseResult.GetValue(tpus),
                TimeoutMs = parseResult.GetValue(timeout),
                Environment = environment,
                Placement = new ActionPlacement
                {
                    Preferred = parseResult.GetValue(prefer) ?? [],
                    Required = parseResult.GetValue(require) ?? [],
                    AllowEmulation = !parseResult.GetValue(noEmulation),
                    DataLocality = [.. (parseResult.GetValue(preferNode) ?? []).Select(DataLocalityPreference.Parse)],
                },
                Prewarm = parseResult.GetValue(prewarm),
            };
            var stored = await api.PutActionAsync(action, cancellationToken);
            foreach (var note in stored.Warnings)
            {
                await Console.Error.WriteLineAsync($"warning: {note}");
            }

            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, stored.Action, format);
            }
            else
            {
                Console.WriteLine($"ok: action {action.Name} → {action.Image}{(action.Code is { } c ? $" with {ActionViews.Describe(c)}" : "")}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command GetVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The action's name" };
        var showCode = new Option<bool>("--show-code") { Description = "Print the code too (text as it is, a zip as base64)" };
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("get", "Show an action: its image, limits, placement and its code's kind, size, sha256 and main") { name, showCode, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var actionName = parseResult.GetValue(name)!;
            var show = parseResult.GetValue(showCode);
            if (await api.GetActionAsync(actionName, show, cancellationToken) is not { } action)
            {
                return await CliErrors.NotFoundAsync($"there is no action '{actionName}' (see `polyarch-invoker actions list`).", format);
            }

            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, action, format);
                return ExitCodes.Success;
            }

            Console.WriteLine($"name:      {action.Name}");
            Console.WriteLine($"image:     {action.Image}");
            Console.WriteLine($"protocol:  {action.Protocol?.ToString().ToLowerInvariant() ?? "(image label)"}");
            Console.WriteLine(System.FormattableString.Invariant($"limits:    {action.MemoryMb} MiB, {action.Cpus} CPUs, {action.Gpus} GPUs, {action.TimeoutMs} ms"));
            if (action.Code is { } code)
            {
                Console.WriteLine($"code:      {code.Kind.ToString().ToLowerInvariant()}, {code.Size} bytes, {code.Sha256}");
                Console.WriteLine($"main:      {code.Main}");
                if (show)
                {
                    Console.WriteLine();
                    Console.WriteLine(code.Content);
                }
            }
            else
            {
                Console.WriteLine("code:      (in the image)");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ListVerb()
    {
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("list", "List actions") { output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var actions = await api.ListActionsAsync(cancellationToken);
            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, actions, format);
                return ExitCodes.Success;
            }

            foreach (var action in actions)
            {
                Console.WriteLine($"{action.Name,-24} {action.Image} {action.Protocol?.ToString().ToLowerInvariant() ?? "(image label)"} {action.MemoryMb}MiB {action.TimeoutMs}ms");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command DeleteVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The action's name" };
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("delete", "Delete an action") { name, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var actionName = parseResult.GetValue(name)!;
            if (!await api.DeleteActionAsync(actionName, cancellationToken))
            {
                return await CliErrors.NotFoundAsync($"there is no action '{actionName}' (see `polyarch-invoker actions list`).", format);
            }

            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, new { action = actionName, deleted = true }, format);
            }
            else
            {
                Console.WriteLine($"ok: deleted action {actionName}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
