using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Hosting;

/// <summary>The shared hosting cases (tests/Polyarch.Testing/Hosting) against polyarch-invoker.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InvokerHostingConventionTests() : HostingConventionCases(new InvokerUnderTest());
