namespace Polyarch.Invoker.Invocation;

/// <summary>An action proxy's answer: status, body (up to the limit) and whether the body was larger.</summary>
internal sealed record ActionHttpResponse(int StatusCode, byte[] Body, bool Exceeded)
{
    public bool IsOk => StatusCode == 200;
}
