using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Polyarch.Builder.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Builder.Registries;

/// <summary>
/// `registry profile HOST:PORT (--insecure | --ca FILE) [--apply [--root DIR] [--yes]] [--output DIR] [--only …]`: one description of a
/// registry, written in the format of each consumer (engine, BuildKit, containerd and its DaemonSet, containers tools, Polyarch).
/// </summary>
internal static class RegistryProfileCommand
{
    public static Command Create()
    {
        var registry = new Argument<string>("registry") { Description = "The registry, host:port (e.g. registry.polyarch.test:5443)" };
        var insecure = new Option<bool>("--insecure") { Description = "The registry speaks plain HTTP" };
        var ca = new Option<FileInfo>("--ca") { Description = "The registry's TLS certificate is signed by this CA (PEM)" }.AcceptExistingOnly();
        var apply = new Option<bool>("--apply") { Description = "Merge the settings into this machine's files (under --root) instead of printing them" };
        var root = new Option<DirectoryInfo>("--root")
        {
            Description = "The root --apply writes under (default /; a directory for a dry run or an image's root)",
            DefaultValueFactory = _ => new DirectoryInfo("/"),
        };
        var yes = new Option<bool>("--yes", "-y") { Description = "Reload what must reload after --apply (only dockerd, by SIGHUP) without asking" };
        var outputDirectory = new Option<DirectoryInfo?>("--output", "-o") { Description = "Write every file (also the Kubernetes DaemonSet and Polyarch's settings) under this directory" };
        var only = new Option<ProfileConsumer[]>("--only")
        {
            Description = "Only these consumers (default: all): Engine, Buildkit, Containerd, Containers, Polyarch",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("profile", "Write or print the settings every consumer of a private or insecure registry needs")
        {
            registry, insecure, ca, apply, root, yes, outputDirectory, only,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(insecure) == (result.GetValue(ca) is not null))
            {
                result.AddError("Say how the registry is reached: --insecure (plain HTTP) or --ca FILE (TLS from a private CA), exactly one of them.");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            try
            {
                var profile = new RegistryProfile(ParseRegistry(parseResult.GetValue(registry)!), ReadCa(parseResult.GetValue(ca)));
                var consumers = parseResult.GetValue(only) is { Length: > 0 } selected ? selected.ToHashSet() : Enum.GetValues<ProfileConsumer>().ToHashSet();
                var files = ProfileRenderer.Render(profile, consumers);
                if (parseResult.GetValue(outputDirectory) is { } directory)
                {
                    await WriteAllAsync(files, directory.FullName, stdout, cancellationToken);
                }

                if (parseResult.GetValue(apply))
                {
                    var rootPath = parseResult.GetValue(root)!.FullName;
                    var changed = await new ProfileApplier(rootPath, stdout).ApplyAsync(files, cancellationToken);
                    await ReportAfterChangeAsync(changed, files, rootPath, parseResult.GetValue(yes), parseResult.GetValue(outputDirectory) is not null, stdout, cancellationToken);
                }
                else if (parseResult.GetValue(outputDirectory) is null)
                {
                    foreach (var file in files)
                    {
                        await stdout.WriteLineAsync($"# ==> {(file.Installed ? "/" : string.Empty)}{file.Path} ({file.Consumer})");
                        await stdout.WriteLineAsync(file.Content.TrimEnd('\n'));
                        await stdout.WriteLineAsync();
                    }
                }

                return ManifestExitCodes.Success;
            }
            catch (ProfileInputException exception)
            {
                await stderr.WriteLineAsync($"error: {exception.Message}");
                return ManifestExitCodes.BadInput;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: {exception.Message} Run it as root for the real /etc, or pass --root DIR (or --output DIR) to write elsewhere.");
                return ManifestExitCodes.Failed;
            }
        });
        return command;
    }

    private static string ParseRegistry(string value)
    {
        if (!ImageReference.TryParse($"{value}/x", out var reference, out _) || reference.Registry != value || value.Contains('/', StringComparison.Ordinal))
        {
            throw new ProfileInputException($"'{value}' is not a registry host:port (e.g. registry.polyarch.test:5443 or reg.lan:30501).");
        }

        return value;
    }

    private static string? ReadCa(FileInfo? file)
    {
        if (file is null)
        {
            return null;
        }

        var pem = File.ReadAllText(file.FullName);
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException exception)
        {
            throw new ProfileInputException($"--ca {file.FullName} is not a PEM certificate ({exception.Message}). Pass the CA that signed the registry's certificate (-----BEGIN CERTIFICATE-----).");
        }

        if (certificates.Count == 0)
        {
            throw new ProfileInputException($"--ca {file.FullName} holds no PEM certificate. Pass the CA that signed the registry's certificate (-----BEGIN CERTIFICATE-----).");
        }

        return pem.EndsWith('\n') ? pem : pem + "\n";
    }

    private static async Task WriteAllAsync(IEnumerable<ProfileFile> files, string directory, TextWriter stdout, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var target = Path.Combine(directory, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllTextAsync(target, file.Content, cancellationToken);
            await stdout.WriteLineAsync($"wrote      {target} ({file.Consumer})");
        }
    }

    private static async Task ReportAfterChangeAsync(
        IReadOnlyList<ProfileFile> changed, IReadOnlyList<ProfileFile> files, string root, bool yes, bool wroteOutput, TextWriter stdout, CancellationToken cancellationToken)
    {
        if (changed.Count == 0)
        {
            await stdout.WriteLineAsync("Nothing changed: every file already has these settings.");
        }

        foreach (var file in changed.Where(f => f.AfterChange is not null))
        {
            var reloadEngine = file.Consumer == ProfileConsumer.Engine && root == "/" && DockerdReload.Possible;
            if (reloadEngine && yes)
            {
                var pid = await DockerdReload.ReloadAsync(cancellationToken);
                await stdout.WriteLineAsync($"reloaded   dockerd (pid {pid}, SIGHUP): it reads insecure-registries again");
            }
            else
            {
                await stdout.WriteLineAsync($"to do      {file.Consumer}: {file.AfterChange}{(reloadEngine ? " (or run again with --yes)" : string.Empty)}");
            }
        }

        if (!wroteOutput)
        {
            foreach (var file in files.Where(f => !f.Installed))
            {
                await stdout.WriteLineAsync($"not applied {file.Path} ({file.Consumer}): pass --output DIR to write it{(file.Path.StartsWith("kubernetes/", StringComparison.Ordinal) ? ", then kubectl apply -k DIR/" + Path.GetDirectoryName(file.Path) : string.Empty)}");
            }
        }
    }
}
