using System.Globalization;
using Polyarch.Invoker.Images;

namespace Polyarch.Invoker.Kubernetes.Tests.Support;

/// <summary>Every image is the echo index; its variants serve http on the action-proxy double's <paramref name="port"/>.</summary>
internal sealed class EchoCatalog(int port) : IVariantCatalog
{
    public Task<ImageVariants> GetAsync(string image, CancellationToken cancellationToken) => Task.FromResult(new ImageVariants(
        image, EchoImage.Repository, EchoImage.Index,
        [.. EchoImage.Variants().Select(v => new VariantInfo(v.Platform, v.Digest, new Dictionary<string, string>(v.Labels) { [ImageLabels.Port] = port.ToString(CultureInfo.InvariantCulture) }))]));
}
