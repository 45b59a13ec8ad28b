using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Hosting;

/// <summary>The shared hosting cases (tests/Polyarch.Testing/Hosting) against polyarch-invoker.</summary>
[Trait("Category", "Integration")] // serve removes its instance's leftover containers at start-up (InvokerStartup): it needs the Docker engine.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InvokerHostingConventionTests() : HostingConventionCases(new InvokerUnderTest());
