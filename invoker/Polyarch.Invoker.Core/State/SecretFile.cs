using System.Security.Cryptography;

namespace Polyarch.Invoker.State;

/// <summary>
/// A secret kept in a file of the state directory: read, or generated on first use with mode 0600 — race-safe: the
/// secret is written to a temporary file created exclusively (O_EXCL, 0600) and linked into place (<c>link(2)</c>, which
/// fails when the name exists), so concurrent first starts of several processes end with one secret they all use and
/// nobody ever reads a half-written file. The builder has the same behaviour in its own copy.
/// </summary>
internal static class SecretFile
{
    public static string ReadOrCreate(string file)
    {
        var existing = TryRead(file);
        if (existing is not null)
        {
            return existing;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        Directory.CreateDirectory(directory);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var temporary = Path.Combine(directory, $".{Path.GetFileName(file)}.{Environment.ProcessId}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(secret);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            // File.Move without overwrite is link(2) + unlink(2) on Unix: exactly one process gets the name.
            File.Move(temporary, file, overwrite: false);
            return secret;
        }
        catch (IOException) when (TryRead(file) is { } winner)
        {
            return winner; // Another process created it first: use its secret.
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string? TryRead(string file)
    {
        try
        {
            var text = File.ReadAllText(file).Trim();
            return text.Length > 0 ? text : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}
