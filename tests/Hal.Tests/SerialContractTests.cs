using System;
using System.IO;
using System.Text;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Hal.Host;

namespace VpnAppliance.Hal.Tests;

/// <summary>ISerialPort contract: non-blocking reads, 0 when idle, -1 after end of input; writes captured.</summary>
public abstract class SerialContractTests
{
    /// <summary>A port whose input holds <paramref name="input"/> and then ends when <paramref name="ends"/>.</summary>
    protected abstract ISerialPort Create(byte[] input, bool ends);

    /// <summary>Waits (bounded) until a read would return non-zero.</summary>
    protected abstract void WaitInput(ISerialPort port);

    protected abstract string Output(ISerialPort port);

    private string ReadAll(ISerialPort port)
    {
        var sb = new StringBuilder();
        byte[] buf = new byte[3];
        for (int i = 0; i < 1000; i++)
        {
            WaitInput(port);
            int n = port.Read(buf, 0, buf.Length);
            if (n < 0)
            {
                return sb.ToString();
            }

            sb.Append(Encoding.ASCII.GetString(buf, 0, n));
        }

        throw new Xunit.Sdk.XunitException("no end of input");
    }

    [Fact]
    public void ReadsEverythingThenMinusOneForever()
    {
        ISerialPort p = Create(Encoding.ASCII.GetBytes("show version\n"), ends: true);
        Assert.Equal("show version\n", ReadAll(p));
        Assert.Equal(-1, p.Read(new byte[4], 0, 4));
        Assert.Equal(-1, p.Read(new byte[4], 0, 4));
    }

    [Fact]
    public void IdleInputReadsZero()
    {
        ISerialPort p = Create(Array.Empty<byte>(), ends: false);
        Assert.Equal(0, p.Read(new byte[4], 0, 4));
    }

    [Fact]
    public void WritesAreCaptured()
    {
        ISerialPort p = Create(Array.Empty<byte>(), ends: false);
        byte[] text = Encoding.ASCII.GetBytes("xx> ok\r\n");
        Assert.Equal(6, p.Write(text, 2, 6));
        Assert.Equal("> ok\r\n", Output(p));
    }

    [Fact]
    public void BadRangesAreRefused()
    {
        ISerialPort p = Create(new byte[] { 1 }, ends: false);
        Assert.Equal(0, p.Write(new byte[2], 1, 2));
        Assert.Equal(0, p.Read(new byte[2], 2, 1));
    }
}

public sealed class MemorySerialContractTests : SerialContractTests
{
    protected override ISerialPort Create(byte[] input, bool ends)
    {
        var s = new MemorySerial(64, 64);
        Assert.Equal(input.Length, s.PushInput(input, 0, input.Length));
        if (ends)
        {
            s.EndInput();
        }

        return s;
    }

    protected override void WaitInput(ISerialPort port)
    {
    }

    protected override string Output(ISerialPort port) => ((MemorySerial)port).OutputText();

    [Fact]
    public void FixedBuffersRefuseOverflow()
    {
        var s = new MemorySerial(4, 4);
        Assert.Equal(4, s.PushText("abcdef"));
        Assert.Equal(3, s.Write(new byte[3], 0, 3));
        Assert.Equal(1, s.Write(new byte[3], 0, 3));
        Assert.Equal(2, s.OutputRefused);
        s.ClearOutput();
        Assert.Equal(0, s.OutputLength);
    }
}

public sealed class StdioSerialContractTests : SerialContractTests
{
    private readonly MemoryStream _out = new MemoryStream();

    protected override ISerialPort Create(byte[] input, bool ends)
    {
        Stream inStream = ends ? new MemoryStream(input) : new NeverEndingStream();
        return new StdioSerial(inStream, _out, queueCapacity: 5);
    }

    protected override void WaitInput(ISerialPort port) => ((StdioSerial)port).WaitForInput(5000);

    protected override string Output(ISerialPort port) => Encoding.ASCII.GetString(_out.ToArray());

    [Fact]
    public void BackPressureLosesNothing()
    {
        byte[] big = new byte[10_000];
        for (int i = 0; i < big.Length; i++)
        {
            big[i] = (byte)('a' + i % 26);
        }

        using var s = new StdioSerial(new MemoryStream(big), new MemoryStream(), queueCapacity: 7);
        var got = new MemoryStream();
        byte[] buf = new byte[5];
        for (int i = 0; i < 100_000; i++)
        {
            s.WaitForInput(5000);
            int n = s.Read(buf, 0, buf.Length);
            if (n < 0)
            {
                break;
            }

            got.Write(buf, 0, n);
        }

        Assert.Equal(big, got.ToArray());
    }

    /// <summary>An input that never delivers a byte and never ends (a terminal nobody types on).</summary>
    private sealed class NeverEndingStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);
            return 0;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
