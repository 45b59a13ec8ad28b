using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Host.Tests;

/// <summary>scripts/images.sh treats an image name it does not know as bad usage (exit 2, the names it knows) before touching the engine.</summary>
public sealed class ImagesScriptTests
{
    public static TheoryData<string> Commands => new() { "check", "ensure", "rebuild", "tag" };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task An_unknown_image_is_bad_usage_and_names_the_images(string command)
    {
        var result = await Cli.Wrap("bash").WithArguments([RepositoryRoot.Combine("scripts", "images.sh"), command, "frontend"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

        result.ExitCode.ShouldBe(2, result.StandardOutput + result.StandardError);
        result.StandardError.ShouldContain("unknown image 'frontend'; the images are: invoker, builder (or all)");
    }
}
