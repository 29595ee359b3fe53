using System.Text;
using VpnAppliance.Core;
using VpnAppliance.Firmware;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Doubles;

namespace VpnAppliance.Cli.Tests;

/// <summary>What the golden transcripts drive: a CLI alone (<see cref="CliRig"/>) or a whole appliance (<see cref="ApplianceRig"/>).</summary>
public interface ITranscriptRig
{
    void Type(string text);
    void Advance(long ms);
    string Take();
}

/// <summary>A whole appliance (RAM console, LAN port, flash, host crypto) with the CLI attached, on a manual clock.</summary>
public sealed class ApplianceRig : ITranscriptRig
{
    public readonly MemorySerial Console = new(8192, 1 << 20);
    public readonly Appliance Appliance;
    public readonly ApplianceCli Cli;
    public long Now = 5000;

    public static Capacities Small() => new()
    {
        Routes = 16, TrieNodes = 16, FibRootBits = 8, NextHopGroups = 4, PathsPerGroup = 4, BgpPeers = 2, BgpPaths = 16,
        IkeSas = 2, ChildSas = 4, Tunnels = 2, PacketBuffers = 4, PacketBufferSize = 1664, ArpEntries = 4,
        TcpConnections = 2, TcpBufferSize = 1024, LogLines = 8, Timers = 8,
    };

    public ApplianceRig(MemoryFlash flash, string? firstBoot, bool login = false)
    {
        Appliance = new Appliance(new BoardInfo("test-board", "test-chip", 4 << 20, Small()), new VpnAppliance.Firmware.ApplianceHal
        {
            Console = Console,
            Lan = new MemoryNetPort(new byte[] { 2, 0, 0, 0, 0, 1 }, 0, 64, 64, 1514),
            Flash = flash,
            Entropy = new SeededEntropy(1),
            Crypto = new HostCryptoProvider(),
            LogSink = new MemoryLogSink(64),
        });
        if (ApplianceCli.LoadSaved(Appliance) == null && firstBoot != null)
        {
            Assert.True(Appliance.LoadConfig(firstBoot).Ok);
        }

        Cli = ApplianceCli.Attach(Appliance, new CliSettings { LoginRequired = login, PasswordIterations = 50 });
        Appliance.Poll(Now);
    }

    public void Type(string text) => Run(text);

    public void Advance(long ms)
    {
        for (long t = 0; t < ms; t += 100)
        {
            Now += Math.Min(100, ms - t);
            Appliance.Poll(Now);
        }
    }

    public string Take()
    {
        string s = Console.OutputText().Replace("\r\n", "\n");
        Console.ClearOutput();
        return s;
    }

    /// <summary>Types the text and returns the output it produced.</summary>
    public string Run(string lines)
    {
        int mark = Console.OutputLength;
        byte[] b = Encoding.ASCII.GetBytes(lines);
        int fed = 0;
        while (fed < b.Length)
        {
            fed += Console.PushInput(b, fed, Math.Min(256, b.Length - fed));
            for (int i = 0; i < 64 && Console.InputPending > 0; i++) Appliance.Poll(Now);
        }

        Appliance.Poll(Now);
        return Console.OutputText()[mark..].Replace("\r\n", "\n");
    }
}
