using Polyarch.Builder.Tests.Fitness;
using Polyarch.Testing.Hosting;

namespace Polyarch.Builder.Tests.Hosting;

/// <summary>The shared hosting cases (tests/Polyarch.Testing/Hosting) against polyarch-builder.</summary>
[Collection(ServeHostCollection.Name)]
public sealed class BuilderHostingConventionTests() : HostingConventionCases(new BuilderUnderTest());
