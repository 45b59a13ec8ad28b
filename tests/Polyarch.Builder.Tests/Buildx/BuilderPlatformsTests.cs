using Polyarch.Builder.Buildx;

namespace Polyarch.Builder.Tests.Buildx;

public sealed class BuilderPlatformsTests
{
    [Fact]
    public void Parse_reads_every_nodes_platforms_line()
    {
        const string inspect = """
            Name:          mixed
            Driver:        docker-container

            Nodes:
            Name:      mixed0
            Platforms: linux/amd64*, linux/amd64/v2, linux/386
            Name:      mixed1
            Platforms: linux/arm64*, linux/ppc64le
            """;

        BuilderPlatforms.Parse(inspect).ShouldBe(["linux/amd64", "linux/amd64/v2", "linux/386", "linux/arm64", "linux/ppc64le"]);
    }
}
