using Polyarch.Builder.Tests.Fitness;
using Polyarch.Testing.Hosting;

namespace Polyarch.Builder.Tests.Hosting;

/// <summary>The shared CLI cases (tests/Polyarch.Testing/Hosting) against polyarch-builder.</summary>
[Collection(ServeHostCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BuilderCliConventionTests() : CliConventionCases(new BuilderCliUnderTest(), new BuilderUnderTest());
