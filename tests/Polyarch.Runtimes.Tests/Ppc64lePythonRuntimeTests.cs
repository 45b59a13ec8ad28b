namespace Polyarch.Runtimes.Tests;

/// <summary>The Python runtime's cases on linux/ppc64le (QEMU).</summary>
[Trait("Category", "Integration")]
public sealed class Ppc64lePythonRuntimeTests(Ppc64leRuntimes runtimes) : PythonRuntimeTests<Ppc64leRuntimes>(runtimes), IClassFixture<Ppc64leRuntimes>;
