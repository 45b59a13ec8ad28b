using Polyarch.Testing.Hosting;

namespace Polyarch.Builder.Tests.Hosting;

/// <summary>The shared tracing cases (tests/Polyarch.Testing/Hosting) against polyarch-builder's OTLP registration.</summary>
public sealed class BuilderTracingConventionTests() : TracingConventionCases(new BuilderUnderTest());
