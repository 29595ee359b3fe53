using System.Text;
using VpnAppliance.Cli.Store;
using VpnAppliance.Config;
using VpnAppliance.Config.Validation;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Doubles;

namespace VpnAppliance.Cli.Tests;

/// <summary>A CLI session on a RAM console and flash with a fake box (no appliance): the golden-transcript rig.</summary>
public sealed class CliRig : ICliHost, ITranscriptRig
{
    public readonly MemorySerial Console = new(65536, 1 << 20);
    public readonly MemoryFlash Flash;
    public readonly RunningConfig RunningConfig = new();
    public readonly CliSession Session;
    public long NowMs = 1000;
    public int Reloads;

    public CliRig(bool login = false, MemoryFlash? flash = null, string? config = null, BoardLimits? limits = null)
    {
        Flash = flash ?? new MemoryFlash(2, 16384, 0xFF);
        if (config != null)
        {
            Assert.True(RunningConfig.Replace(config).Ok);
        }

        var settings = new CliSettings
        {
            LoginRequired = login,
            PasswordIterations = 50,
            InactivityTimeoutMs = 300_000,
            Limits = limits ?? new BoardLimits { Board = "test-board", Tunnels = 4, IkeSas = 4, Routes = 64, BgpPeers = 4 },
        };
        IMac hmac = new HostCryptoProvider().CreateHmac(HashAlgorithm.Sha256);
        Session = new CliSession(settings, Console, this, new ConfigStore(Flash), hmac, new SeededEntropy(7));
        Session.Start(NowMs);
    }

    public RunningConfig Running => RunningConfig;
    public string HostName => RunningConfig.Model.System.HostName ?? "";
    public ParseResult Apply(string text, long nowMs) => RunningConfig.Replace(text);
    public void Reload(long nowMs) => Reloads++;

    /// <summary>Types text (bytes as they come from a terminal) and runs the session's timers.</summary>
    public void Type(string text)
    {
        byte[] b = Encoding.ASCII.GetBytes(text);
        Session.Feed(b, 0, b.Length, NowMs);
        Session.Poll(NowMs);
    }

    public void Advance(long ms)
    {
        NowMs += ms;
        Session.Poll(NowMs);
    }

    /// <summary>Output so far with CR LF as LF; clears it.</summary>
    public string Take()
    {
        string s = Console.OutputText().Replace("\r\n", "\n");
        Console.ClearOutput();
        return s;
    }
}
