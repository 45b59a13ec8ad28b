namespace Polyarch.Builder.Cli;

/// <summary>A `build` no service takes (none answers, --in-process, --builder, registry settings of its own): this process builds it.</summary>
internal static class InProcessBuild
{
    public static async Task<int> RunAsync(BuildCommandInput input, bool noService, bool verbose, CancellationToken cancellationToken)
    {
        _ = noService; // Both ways the same build; PhaseTimer already said why.
        await using var services = BuildCliServices.Create(input.BuilderName, verbose);
        var handler = services.GetRequiredService<BuildCommandHandler>();
        PhaseTimer.Current.Mark("services composed (in-process build)");
        return await handler.RunAsync(input, Console.Out, Console.Error, cancellationToken);
    }
}
