using System.Text;
using Serilog.Sinks.File;

namespace Polyarch.Invoker.Hosting.Logging;

/// <summary>Log files are readable by their owner only (0600): request lines and errors may name what others should not see.</summary>
internal sealed class OwnerOnlyLogFile : FileLifecycleHooks
{
    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return underlyingStream;
    }
}
