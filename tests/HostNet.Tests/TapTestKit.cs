using System.Diagnostics;
using VpnAppliance.Hal.Host;

namespace VpnAppliance.HostNet.Tests;

/// <summary>
/// The common set-up of the TAP tests: a namespace whose kernel owns <see cref="KernelIp"/> on the
/// TAP interface, the appliance side at <see cref="OurIp"/> (198.18.0.0/15, inside the namespace
/// only), and a bounded receive loop that can play a LAN host's ARP part.
/// </summary>
public static class TapTestKit
{
    public const int TimeoutMs = 5000;
    public const int MaxIterations = 2000;

    public static readonly uint KernelIp = LanFrames.Ip(198, 18, 1, 1);
    public static readonly uint OurIp = LanFrames.Ip(198, 18, 1, 2);

    /// <summary>Opens a TAP created inside a fresh namespace; optionally up with 198.18.1.1/24 on the kernel side.</summary>
    public static TapPort OpenInNewNamespace(NetnsLab lab, out string ns, bool up = true)
    {
        ns = lab.CreateNamespace();
        string dev = lab.NewDeviceName();
        TapPort port = TapPort.Open(dev, ns);
        Assert.Equal(dev, port.Name);
        if (up)
        {
            BringUp(lab, ns, dev);
        }

        return port;
    }

    public static void BringUp(NetnsLab lab, string ns, string dev)
    {
        lab.Ip("-n", ns, "link", "set", "dev", dev, "up");
        lab.Ip("-n", ns, "addr", "add", "198.18.1.1/24", "dev", dev);
    }

    public static byte[] Mac(TapPort port)
    {
        var mac = new byte[6];
        port.GetMacAddress(mac, 0);
        return mac;
    }

    public static byte[] KernelMac(TapPort port)
    {
        var mac = new byte[6];
        Assert.True(port.GetKernelMacAddress(mac, 0));
        return mac;
    }

    /// <summary>
    /// Receives frames until <paramref name="match"/> accepts one (returns its length) or the time
    /// or iteration bound is reached (returns 0). When <paramref name="answerArpFor"/> is not 0, ARP
    /// requests for that address are answered with the port's MAC, as a LAN host would.
    /// </summary>
    public static int ReceiveUntil(TapPort port, byte[] frame, Func<byte[], int, bool> match, uint answerArpFor = 0)
    {
        var set = new PollSet(1);
        set.Add(port);
        var reply = new byte[64];
        byte[] mac = Mac(port);
        long deadline = Stopwatch.GetTimestamp() + TimeoutMs * Stopwatch.Frequency / 1000;
        for (int i = 0; i < MaxIterations; i++)
        {
            int n = port.Receive(frame, 0, frame.Length);
            if (n > 0)
            {
                if (match(frame, n))
                {
                    return n;
                }

                if (answerArpFor != 0 && LanFrames.IsArp(frame, n, LanFrames.ArpRequest) && LanFrames.ArpTargetIp(frame) == answerArpFor)
                {
                    var requester = new byte[6];
                    Array.Copy(frame, 22, requester, 0, 6);
                    int len = LanFrames.WriteArpReply(reply, mac, answerArpFor, requester, LanFrames.ArpSenderIp(frame));
                    Assert.Equal(Hal.PortResult.Ok, port.Send(reply, 0, len));
                }

                continue;
            }

            long leftMs = (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            if (leftMs <= 0)
            {
                return 0;
            }

            set.Wait((int)Math.Min(leftMs, 500));
        }

        return 0;
    }

    /// <summary>Waits (bounded) for a process to exit; false if it is still running.</summary>
    public static bool WaitExit(Process p) => p.WaitForExit(TimeoutMs);
}
