using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Support;

/// <summary>
/// The real container host plus a private registry holding the test images (echo, a GPU-labelled variant,
/// fault actions). Every container the collection starts carries io.polyarch.test.run and is removed at the end.
/// </summary>
public sealed class InvokerEngineFixture : IAsyncLifetime
{
    private readonly RegistryFixture _registry = new();

    public string Registry => _registry.Address;

    public string EchoImage { get; private set; } = "";

    public string GpuImage { get; private set; } = "";

    public string FaultsImage { get; private set; } = "";

    public string HttpFaultsImage { get; private set; } = "";

    public string ExecFormatErrorImage { get; private set; } = "";

    public string MissingEntrypointImage { get; private set; } = "";

    public string RecorderRuntimeImage { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await _registry.InitializeAsync();
        EchoImage = await TestImages.BuildEchoAsync(Registry);
        GpuImage = await TestImages.BuildGpuVariantAsync(Registry);
        FaultsImage = await TestImages.BuildFaultsAsync(Registry);
        HttpFaultsImage = await TestImages.BuildHttpFaultsAsync(Registry);
        ExecFormatErrorImage = await TestImages.BuildExecFormatErrorAsync(Registry);
        MissingEntrypointImage = await TestImages.BuildMissingEntrypointAsync(Registry);
        RecorderRuntimeImage = await TestImages.BuildRecorderRuntimeAsync(Registry);
    }

    public async Task DisposeAsync()
    {
        await Engine.RemoveTestContainersAsync();
        await _registry.DisposeAsync();
    }
}
