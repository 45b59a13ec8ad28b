using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>
/// `actions create --code PATH`: a text file is sent as text, a .ipynb as a notebook (text), a .zip as it is, a
/// .tar.gz/.tgz converted to a zip, a directory zipped (binary, base64 at /init). Over the cap is refused before
/// anything is stored.
/// </summary>
internal static class ActionCodeFile
{
    public static ActionCode Read(string actionName, string path, string? main, long maxBytes)
    {
        if (Directory.Exists(path))
        {
            using var zip = new MemoryStream();
            ZipFile.CreateFromDirectory(path, zip, CompressionLevel.Optimal, includeBaseDirectory: false);
            return Capped(actionName, ActionCode.FromZip(zip.ToArray(), main), maxBytes);
        }

        if (!File.Exists(path))
        {
            throw new InvalidActionException([$"--code {path}: there is no such file or directory. Name a source file, a notebook (.ipynb), a .zip, a .tar.gz or a directory."]);
        }

        var length = new FileInfo(path).Length;
        var lower = path.ToLowerInvariant();
        var isTarGz = lower.EndsWith(".tar.gz", StringComparison.Ordinal) || lower.EndsWith(".tgz", StringComparison.Ordinal);
        if (length > maxBytes && !isTarGz)
        {
            // Refused before it is read: the cap holds for what would be sent, and this file is that already.
            throw new InvalidActionException([ActionValidator.CodeTooLarge(actionName, length, maxBytes)]);
        }

        if (lower.EndsWith(".zip", StringComparison.Ordinal))
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 4 || bytes[0] != (byte)'P' || bytes[1] != (byte)'K')
            {
                throw new InvalidActionException([$"--code {path} is not a zip archive (it does not start with PK). Create it with `zip -r`, or pass the directory."]);
            }

            return ActionCode.FromZip(bytes, main);
        }

        if (isTarGz)
        {
            return Capped(actionName, ActionCode.FromZip(TarGzToZip(actionName, path, maxBytes), main), maxBytes);
        }

        var text = ReadText(path);
        return ActionCode.FromText(text, main, notebook: lower.EndsWith(".ipynb", StringComparison.Ordinal) ? true : null);
    }

    private static ActionCode Capped(string actionName, ActionCode code, long maxBytes) =>
        code.Size > maxBytes ? throw new InvalidActionException([ActionValidator.CodeTooLarge(actionName, code.Size, maxBytes)]) : code;

    private static string ReadText(string path)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidActionException([$"--code {path} is neither UTF-8 text nor a .zip/.tar.gz archive: pass source text, a notebook, a zip (with the runtime's entry file, e.g. __main__.py) or a directory."]);
        }
    }

    /// <summary>OpenWhisk runtimes take zips only: the tar's regular files and directories become zip entries.</summary>
    private static byte[] TarGzToZip(string actionName, string path, long maxBytes)
    {
        using var output = new MemoryStream();
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            {
                while (tar.GetNextEntry() is { } entry)
                {
                    var name = entry.Name.Replace('\\', '/');
                    name = name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
                    if (name.Length == 0 || name.StartsWith('/') || name.Split('/').Contains(".."))
                    {
                        continue;
                    }

                    if (entry.EntryType is TarEntryType.Directory)
                    {
                        zip.CreateEntry(name.EndsWith('/') ? name : name + "/");
                    }
                    else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } data)
                    {
                        var zipEntry = zip.CreateEntry(name, CompressionLevel.Optimal);
                        zipEntry.LastWriteTime = entry.ModificationTime;
                        // Keep the mode (an executable stays executable): Unix permissions live in the high 16 bits.
                        zipEntry.ExternalAttributes = (int)entry.Mode << 16;
                        using (var target = zipEntry.Open())
                        {
                            data.CopyTo(target);
                        }

                        // A bound while converting, so a small tar.gz that unpacks to gigabytes stops early.
                        if (output.Length > maxBytes)
                        {
                            throw new InvalidActionException([ActionValidator.CodeTooLarge(actionName, output.Length, maxBytes) + " (converted from the .tar.gz, so far)"]);
                        }
                    }
                }
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new InvalidActionException([$"--code {path} is not a gzip-compressed tar archive ({exception.Message}). Pass a .zip, a directory or a valid .tar.gz."]);
        }

        return output.ToArray();
    }
}
