using System.Security.Cryptography;

namespace Polyarch.Builder.Hosting;

/// <summary>
/// A secret kept in a file of the state directory: read, or generated on first use with mode 0600 — race-safe: the file
/// is created exclusively (O_CREAT|O_EXCL, 0600), so of several processes starting at once exactly one writes it; the
/// others wait (up to 10 s) for its content and use that secret. The invoker has the same behaviour in its own copy.
/// </summary>
internal static class SecretFile
{
    private static readonly TimeSpan WinnerWait = TimeSpan.FromSeconds(10);

    // Threads of one process take turns (the exclusive create settles the race between processes; within one, .NET's
    // emulation of file sharing let two threads each end up with their own secret under load — HostingConventionCases).
    private static readonly Lock Gate = new();

    public static string ReadOrCreate(string file)
    {
        lock (Gate)
        {
            return ReadOrCreateExclusively(file);
        }
    }

    private static string ReadOrCreateExclusively(string file)
    {
        var existing = TryRead(file);
        if (existing is not null)
        {
            return existing;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        StatePaths.CreatePrivateDirectory(directory);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(file, options);
        }
        catch (IOException) when (File.Exists(file))
        {
            return WaitForWinner(file); // Another process created it first: use its secret.
        }

        using (stream)
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(secret);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        return secret;
    }

    private static string WaitForWinner(string file)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            if (TryRead(file) is { } secret)
            {
                return secret;
            }

            if (TimeProvider.System.GetElapsedTime(started) > WinnerWait)
            {
                throw new IOException($"{file} stayed empty for {WinnerWait.TotalSeconds} s (a process that created it died before writing?). Delete it and start again.");
            }

            Thread.Sleep(10);
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
