namespace Polyarch.Invoker;

/// <summary>The base of every error the invoker reports to its callers.</summary>
public abstract class InvokerException(string message, Exception? inner = null) : Exception(message, inner);
