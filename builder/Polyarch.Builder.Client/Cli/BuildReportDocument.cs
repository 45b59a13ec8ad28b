using Polyarch.Builder.Builds;

namespace Polyarch.Builder.Cli;

/// <summary>The build verb's machine-readable report: <c>{"build": …, "reused": …}</c>.</summary>
internal sealed record BuildReportDocument(BuildRecord Build, bool Reused);
