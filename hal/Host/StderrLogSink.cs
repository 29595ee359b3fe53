using System.Globalization;
using System.IO;

namespace VpnAppliance.Hal.Host;

/// <summary>
/// Log lines to stderr (or any writer) as <c>[   12.345] info ike: text</c>: seconds.milliseconds
/// of the appliance clock, level, subsystem, message. Safe to call from several threads.
/// </summary>
public sealed class StderrLogSink : ILogSink
{
    private readonly TextWriter _writer;
    private readonly object _gate = new object();

    /// <summary>Writes to <paramref name="writer"/>, or to stderr when null.</summary>
    public StderrLogSink(TextWriter writer = null)
    {
        _writer = writer ?? System.Console.Error;
    }

    /// <summary>Writes one formatted line.</summary>
    public void Write(long nowMs, LogLevel level, string subsystem, string message)
    {
        string line = FormatLine(nowMs, level, subsystem, message);
        lock (_gate)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    /// <summary>The line format: <c>[   12.345] info ike: text</c> (seconds right-aligned in 5).</summary>
    public static string FormatLine(long nowMs, LogLevel level, string subsystem, string message)
    {
        long seconds = nowMs / 1000;
        long millis = nowMs % 1000;
        if (millis < 0)
        {
            millis = -millis;
        }

        return string.Create(CultureInfo.InvariantCulture, $"[{seconds,5}.{millis:000}] {LevelName(level)} {subsystem}: {message}");
    }

    /// <summary>Short lowercase level name: error, warn, info, debug.</summary>
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Error => "error",
        LogLevel.Warning => "warn",
        LogLevel.Info => "info",
        LogLevel.Debug => "debug",
        _ => ((int)level).ToString(CultureInfo.InvariantCulture),
    };
}
