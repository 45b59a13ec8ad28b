using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Hosting;

/// <summary>The shared CLI cases (tests/Polyarch.Testing/Hosting) against polyarch-invoker.</summary>
[Trait("Category", "Integration")] // `platforms` asks the engine; the remote cases start `serve`, which needs it too.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InvokerCliConventionTests() : CliConventionCases(new InvokerCliUnderTest(), new InvokerUnderTest());
