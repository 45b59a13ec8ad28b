using System.Security.Cryptography;

namespace Polyarch.Invoker.State;

/// <summary>A secret kept in a file of the state directory: read, or generated on first use with mode 0600.</summary>
internal static class SecretFile
{
    public static string ReadOrCreate(string file)
    {
        if (File.Exists(file) && new FileInfo(file).Length > 0)
        {
            return File.ReadAllText(file).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(file, streamOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(secret);
        }

        return secret;
    }
}
