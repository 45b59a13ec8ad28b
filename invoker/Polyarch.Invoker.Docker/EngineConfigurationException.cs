namespace Polyarch.Invoker.DockerEngine;

/// <summary>The engine endpoint, docker context or TLS material configured cannot be used (exit code 2).</summary>
public sealed class EngineConfigurationException(string message, Exception? innerException = null)
    : InvokerException(message, innerException);
