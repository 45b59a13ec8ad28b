using System.Globalization;

namespace Polyarch.Builder.Cli;

/// <summary>
/// <c>POLYARCH_TRACE_TIMING=1</c>: one stderr line per phase of a CLI verb (runtime start, composition, service discovery,
/// hand-off, events, report, exit), in milliseconds since the process started — how the one-shot build's overhead over a raw
/// <c>docker buildx bake</c> is measured phase by phase (issue 18, P4/P5). Off by default: nothing is written.
/// </summary>
internal sealed class PhaseTimer
{
    /// <summary>The environment variable that turns the phase lines on (<c>1</c> or <c>true</c>).</summary>
    public const string Variable = "POLYARCH_TRACE_TIMING";

    private readonly TextWriter? _writer;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly TimeSpan _beforeStart;

    /// <summary>A timer that writes to <paramref name="writer"/> (none: off), counting from <paramref name="beforeStart"/> ago.</summary>
    public PhaseTimer(TextWriter? writer, TimeProvider time, TimeSpan beforeStart)
    {
        _writer = writer;
        _time = time;
        _started = time.GetTimestamp();
        _beforeStart = beforeStart;
    }

    /// <summary>The timer of this process (off unless <see cref="Variable"/> is set).</summary>
    public static PhaseTimer Current { get; set; } = new(null, TimeProvider.System, TimeSpan.Zero);

    /// <summary>Whether marks are written.</summary>
    public bool Enabled => _writer is not null;

    /// <summary>On when <see cref="Variable"/> says so; then it counts from the process's start (the runtime's start-up included).</summary>
    public static PhaseTimer FromEnvironment(string? value, TextWriter stderr, TimeProvider time)
    {
        if (value is not ("1" or "true" or "True" or "TRUE"))
        {
            return new PhaseTimer(null, time, TimeSpan.Zero);
        }

        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var sinceStart = time.GetLocalNow().DateTime - process.StartTime;
        return new PhaseTimer(stderr, time, sinceStart > TimeSpan.Zero ? sinceStart : TimeSpan.Zero);
    }

    /// <summary>Writes <c>timing: N ms PHASE</c> (N since the process started) when on.</summary>
    public void Mark(string phase)
    {
        if (_writer is null)
        {
            return;
        }

        var elapsed = _beforeStart + _time.GetElapsedTime(_started);
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timing: {elapsed.TotalMilliseconds,8:F1} ms  {phase}"));
    }
}
