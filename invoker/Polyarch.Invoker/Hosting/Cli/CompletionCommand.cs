using System.CommandLine;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>
/// <c>polyarch-invoker completion bash|zsh</c>: prints a completion script for the shell. The script asks the executable itself
/// (System.CommandLine's <c>[suggest:POSITION]</c> directive), so every verb and option completes, also those added later.
/// </summary>
internal static class CompletionCommand
{
    public const string Executable = "polyarch-invoker";

    public static Command Create()
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", $"Print a shell completion script: eval \"$({Executable} completion bash)\" (or zsh) in your shell's rc file") { shell };
        command.SetAction(parseResult =>
        {
            Console.Write(Script(Executable, parseResult.GetValue(shell)!));
            return ExitCodes.Success;
        });
        return command;
    }

    public static string Script(string executable, string shell)
    {
        var function = "_" + executable.Replace('-', '_') + "_complete";
        var bash = $$"""
            # {{executable}} completion ({{shell}}): the executable answers System.CommandLine's [suggest] directive.
            {{function}}() {
                local IFS=$'\n'
                local candidates
                candidates=$({{executable}} "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)
                COMPREPLY=($(compgen -W "${candidates}" -- "${COMP_WORDS[COMP_CWORD]}"))
            }
            complete -o default -F {{function}} {{executable}}

            """;
        return shell == "zsh" ? "autoload -U +X bashcompinit && bashcompinit\n" + bash : bash;
    }
}
