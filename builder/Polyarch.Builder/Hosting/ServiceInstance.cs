using System.Security.Cryptography;

namespace Polyarch.Builder.Hosting;

/// <summary>This process's random id: /healthz answers it and serve.json names it, so a CLI knows it found the service it read about.</summary>
internal sealed class ServiceInstance
{
    public string Id { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
