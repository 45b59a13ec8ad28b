namespace Polyarch.Invoker.DockerEngine;

/// <summary>The Docker engine the invoker was pointed at does not answer (exit code 3); the message names it and why it was chosen.</summary>
public sealed class EngineUnavailableException(string message, Exception? innerException = null)
    : InvokerException(message, innerException);
