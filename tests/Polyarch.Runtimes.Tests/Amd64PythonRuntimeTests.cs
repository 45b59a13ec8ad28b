namespace Polyarch.Runtimes.Tests;

/// <summary>The Python runtime's cases on linux/amd64 (native).</summary>
[Trait("Category", "Integration")]
public sealed class Amd64PythonRuntimeTests(Amd64Runtimes runtimes) : PythonRuntimeTests<Amd64Runtimes>(runtimes), IClassFixture<Amd64Runtimes>;
