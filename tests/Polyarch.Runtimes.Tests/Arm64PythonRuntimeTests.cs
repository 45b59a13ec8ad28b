namespace Polyarch.Runtimes.Tests;

/// <summary>The Python runtime's cases on linux/arm64 (QEMU).</summary>
[Trait("Category", "Integration")]
public sealed class Arm64PythonRuntimeTests(Arm64Runtimes runtimes) : PythonRuntimeTests<Arm64Runtimes>(runtimes), IClassFixture<Arm64Runtimes>;
