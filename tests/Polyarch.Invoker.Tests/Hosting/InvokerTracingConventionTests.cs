using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Hosting;

/// <summary>The shared tracing cases (tests/Polyarch.Testing/Hosting) against polyarch-invoker's OTLP registration.</summary>
public sealed class InvokerTracingConventionTests() : TracingConventionCases(new InvokerUnderTest());
