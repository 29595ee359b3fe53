using System;
using System.IO;
using System.Threading;

namespace VpnAppliance.Hal.Host;

/// <summary>
/// The console over a stream pair (stdin/stdout by default). A background thread does the
/// blocking reads and feeds a fixed byte queue, so <see cref="Read"/> never blocks: it returns the
/// queued bytes, 0 when none, and -1 once the input stream ended and the queue is drained.
/// When the queue is full the reader thread waits (back-pressure), so no input is lost.
/// </summary>
public sealed class StdioSerial : ISerialPort, IDisposable
{
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly byte[] _queue;
    private readonly object _gate = new object();
    private readonly Thread _reader;
    private int _head;
    private int _count;
    private bool _endOfInput;
    private volatile bool _disposed;

    /// <summary>Wraps an input and an output stream; <paramref name="queueCapacity"/> bytes of read-ahead.</summary>
    public StdioSerial(Stream input, Stream output, int queueCapacity = 64 * 1024)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _input = input;
        _output = output;
        _queue = new byte[queueCapacity];
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "StdioSerial reader" };
        _reader.Start();
    }

    /// <summary>The process's stdin and stdout.</summary>
    public static StdioSerial OpenConsole() => new StdioSerial(Console.OpenStandardInput(), Console.OpenStandardOutput());

    /// <summary>Queued bytes; -1 after end of input with nothing left; 0 when nothing waits.</summary>
    public int Read(byte[] buffer, int offset, int count)
    {
        if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
        {
            return 0;
        }

        lock (_gate)
        {
            if (_count == 0)
            {
                return _endOfInput ? -1 : 0;
            }

            int n = 0;
            while (n < count && _count > 0)
            {
                int run = Math.Min(Math.Min(count - n, _count), _queue.Length - _head);
                Array.Copy(_queue, _head, buffer, offset + n, run);
                _head = (_head + run) % _queue.Length;
                _count -= run;
                n += run;
            }

            Monitor.PulseAll(_gate);
            return n;
        }
    }

    /// <summary>Writes and flushes; returns the bytes written (0 when the output is gone).</summary>
    public int Write(byte[] buffer, int offset, int count)
    {
        if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
        {
            return 0;
        }

        try
        {
            _output.Write(buffer, offset, count);
            _output.Flush();
            return count;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Blocks until input is queued, the input ended, or <paramref name="timeoutMs"/> passed; true
    /// when a Read would return non-zero. For the host runner and tests (never used by the firmware).
    /// </summary>
    public bool WaitForInput(int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        lock (_gate)
        {
            while (_count == 0 && !_endOfInput)
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    return false;
                }

                Monitor.Wait(_gate, (int)Math.Min(left, int.MaxValue));
            }

            return true;
        }
    }

    /// <summary>Stops accepting input (the reader thread ends at its next wake-up); does not close the streams.</summary>
    public void Dispose()
    {
        _disposed = true;
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    private void ReadLoop()
    {
        byte[] chunk = new byte[4096];
        while (!_disposed)
        {
            int n;
            try
            {
                n = _input.Read(chunk, 0, chunk.Length);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                n = 0;
            }

            lock (_gate)
            {
                if (n <= 0)
                {
                    _endOfInput = true;
                    Monitor.PulseAll(_gate);
                    return;
                }

                int done = 0;
                while (done < n && !_disposed)
                {
                    while (_count == _queue.Length && !_disposed)
                    {
                        Monitor.Wait(_gate);
                    }

                    int tail = (_head + _count) % _queue.Length;
                    int run = Math.Min(Math.Min(n - done, _queue.Length - _count), _queue.Length - tail);
                    Array.Copy(chunk, done, _queue, tail, run);
                    _count += run;
                    done += run;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }
}
