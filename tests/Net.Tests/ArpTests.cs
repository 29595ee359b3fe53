using VpnAppliance.Wire;

namespace VpnAppliance.Net.Tests;

/// <summary>ARP (RFC 826): resolution with queued packets, bounded queues, retries, ageing, replies, gratuitous ARP.</summary>
public class ArpTests
{
    private static readonly uint Target = Lab.Ip(10, 0, 0, 20);
    private const ulong TargetMac = 0x02000000DD01UL;

    private static Lab LabWithTunnel()
    {
        var lab = new Lab();
        lab.Route(Lab.Ip(10, 9, 0, 0), 16, lab.Group((1, 0u)));
        lab.Poll(lab.Now);
        lab.Poll(lab.Now + Router.AnnounceIntervalMs);
        lab.TakeLan();   // the two link-up announcements
        return lab;
    }

    private static void AssertRequestFor(byte[] frame, uint target)
    {
        var arp = Packets.ArpOfFrame(frame, EthernetAddress.Broadcast);
        Assert.Equal(ArpPacket.OperationRequest, arp.Operation);
        Assert.Equal(Lab.RouterMac, arp.SenderHardwareAddress);
        Assert.Equal(Lab.LanAddress, arp.SenderProtocolAddress);
        Assert.Equal(0UL, arp.TargetHardwareAddress);
        Assert.Equal(target, arp.TargetProtocolAddress);
    }

    [Fact]
    public void QueuedPacketsAreReleasedInOrderAfterTheReply()
    {
        var lab = LabWithTunnel();
        for (int i = 0; i < 3; i++)
        {
            lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Target, 1, (ushort)(100 + i), 20));
        }

        AssertRequestFor(Assert.Single(lab.TakeLan()), Target);
        Assert.Equal(ArpState.Incomplete, lab.Router.Arp.StateOf(Target));
        Assert.Equal(3, lab.Router.Arp.PendingCount);
        Assert.Equal(3, lab.Pool.InUse);

        lab.InjectLan(Packets.Frame(Lab.RouterMac, TargetMac, EtherType.Arp, Packets.Arp(ArpPacket.OperationReply, TargetMac, Target, Lab.RouterMac, Lab.LanAddress)));
        var frames = lab.TakeLan();
        Assert.Equal(3, frames.Count);
        for (int i = 0; i < 3; i++)
        {
            var ip = Packets.IpOfFrame(frames[i], TargetMac);
            Assert.Equal(100 + i, NetworkByteOrder.ReadUInt16(ip.Buffer, ip.PayloadOffset + 2));
        }

        Assert.Equal(ArpState.Reachable, lab.Router.Arp.StateOf(Target));
        Assert.Equal(0, lab.Pool.InUse);

        // Now resolved: sent at once.
        lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Target, 1, 2, 20));
        Packets.IpOfFrame(Assert.Single(lab.TakeLan()), TargetMac);
    }

    [Fact]
    public void FullQueueIsCountedPerEntryAndInTotal()
    {
        var lab = LabWithTunnel();
        for (int i = 0; i < 6; i++)
        {
            lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Target, 1, 2, 20));
        }

        Assert.Equal(ArpCache.DefaultPendingPerEntry, lab.Router.Arp.PendingCount);
        Assert.Equal(2, lab.Router.Drops(DropReason.NoArpQueueFull));
        Assert.Equal(2, lab.Router.Counters(Router.LanInterface).TxDrops);

        // The shared pool: 64 buffers / 4 = 16 waiting packets at most over all entries.
        Assert.Equal(16, lab.Router.Arp.PendingCapacity);
        for (int h = 0; h < 5; h++)
        {
            for (int i = 0; i < 4; i++)
            {
                lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Lab.Ip(10, 0, 0, 30 + h), 1, 2, 20));
            }
        }

        Assert.Equal(16, lab.Router.Arp.PendingCount);
        Assert.Equal(2 + 8, lab.Router.Drops(DropReason.NoArpQueueFull));
        Assert.Equal(16, lab.Pool.InUse);
    }

    [Fact]
    public void RequestsAreRetriedThenWaitingPacketsDropped()
    {
        var lab = LabWithTunnel();
        long t0 = lab.Now;
        lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Target, 1, 2, 20));
        lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Target, 1, 2, 20));
        AssertRequestFor(Assert.Single(lab.TakeLan()), Target);
        Assert.Equal(t0 + 1000, lab.Router.NextDeadline);

        Assert.Equal(t0 + 1000, lab.Poll(t0 + 999));
        Assert.Empty(lab.TakeLan());
        Assert.Equal(t0 + 2000, lab.Poll(t0 + 1000));
        AssertRequestFor(Assert.Single(lab.TakeLan()), Target);
        Assert.Equal(t0 + 3000, lab.Poll(t0 + 2000));
        AssertRequestFor(Assert.Single(lab.TakeLan()), Target);
        Assert.Equal(2, lab.Pool.InUse);

        Assert.Equal(Router.Never, lab.Poll(t0 + 3000));
        Assert.Empty(lab.TakeLan());
        Assert.Equal(2, lab.Router.Drops(DropReason.NoArpTimeout));

        // RFC 1812 §5.2.7.1: each dropped packet gets host unreachable back into the tunnel it came from, from the
        // address of that route (the tunnel's /32), quoting the queued packet.
        Assert.Equal(2, lab.Tunnels[1].Sent.Count);
        var error = Packets.CheckIp(lab.Tunnels[1].Sent[0]);
        Assert.Equal(Lab.TunnelLocal(1), error.Source);
        Assert.Equal(Lab.Ip(10, 9, 0, 1), error.Destination);
        var icmp = Packets.Icmp(error);
        Assert.Equal(IcmpMessage.TypeDestinationUnreachable, icmp.Type);
        Assert.Equal(IcmpMessage.CodeHostUnreachable, icmp.Code);
        Assert.Equal(WireResult.Ok, Ipv4Packet.CheckQuoted(icmp.Buffer, icmp.DataOffset, icmp.DataLength, out var quoted));
        Assert.Equal(Target, quoted.Destination);
        Assert.Equal(ArpState.Free, lab.Router.Arp.StateOf(Target));
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void EntriesAgeToStaleAndAreReprobedOnUse()
    {
        var lab = LabWithTunnel();
        lab.LearnHost(Target, TargetMac);
        long t0 = lab.Now;
        Assert.Equal(ArpState.Reachable, lab.Router.Arp.StateOf(Target));
        Assert.Equal(t0 + 30_000, lab.Router.NextDeadline);
        lab.Poll(t0 + 30_000);
        Assert.Equal(ArpState.Stale, lab.Router.Arp.StateOf(Target));

        // Used while stale: still sent to the known MAC, and a request goes out.
        lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Target, 1, 2, 20));
        var frames = lab.TakeLan();
        Assert.Equal(2, frames.Count);
        AssertRequestFor(frames[0], Target);
        Packets.IpOfFrame(frames[1], TargetMac);
        Assert.Equal(ArpState.Probe, lab.Router.Arp.StateOf(Target));

        // Unanswered: two more requests, then the entry goes.
        for (int i = 1; i <= 3; i++)
        {
            lab.Poll(t0 + 30_000 + 1000 * i);
        }

        Assert.Equal(2, lab.TakeLan().Count);
        Assert.Equal(ArpState.Free, lab.Router.Arp.StateOf(Target));

        // A stale entry nobody uses is dropped after StaleTimeMs.
        lab.LearnHost(Target, TargetMac);
        lab.Poll(lab.Now + 30_000);
        Assert.Equal(ArpState.Stale, lab.Router.Arp.StateOf(Target));
        lab.Poll(lab.Now + 60_000);
        Assert.Equal(ArpState.Free, lab.Router.Arp.StateOf(Target));
    }

    [Fact]
    public void RequestForOurAddressIsAnsweredAndTheSenderLearnt()
    {
        var lab = LabWithTunnel();
        lab.InjectLan(Packets.Frame(EthernetAddress.Broadcast, TargetMac, EtherType.Arp, Packets.Arp(ArpPacket.OperationRequest, TargetMac, Target, 0, Lab.LanAddress)));
        var reply = Packets.ArpOfFrame(Assert.Single(lab.TakeLan()), TargetMac);
        Assert.Equal(ArpPacket.OperationReply, reply.Operation);
        Assert.Equal(Lab.RouterMac, reply.SenderHardwareAddress);
        Assert.Equal(Lab.LanAddress, reply.SenderProtocolAddress);
        Assert.Equal(TargetMac, reply.TargetHardwareAddress);
        Assert.Equal(Target, reply.TargetProtocolAddress);
        Assert.Equal(ArpState.Reachable, lab.Router.Arp.StateOf(Target));

        // Requests for another address: no reply, not learnt (RFC 826 adds only when we are the target).
        uint stranger = Lab.Ip(10, 0, 0, 40);
        lab.InjectLan(Packets.Frame(EthernetAddress.Broadcast, 0x02000000EE01UL, EtherType.Arp, Packets.Arp(ArpPacket.OperationRequest, 0x02000000EE01UL, stranger, 0, Lab.Ip(10, 0, 0, 41))));
        Assert.Empty(lab.TakeLan());
        Assert.Equal(ArpState.Free, lab.Router.Arp.StateOf(stranger));

        // Someone else claiming our address: a conflict, not learnt.
        lab.InjectLan(Packets.Frame(EthernetAddress.Broadcast, 0x02000000EE02UL, EtherType.Arp, Packets.Arp(ArpPacket.OperationRequest, 0x02000000EE02UL, Lab.LanAddress, 0, Lab.LanAddress)));
        Assert.Equal(1, lab.Router.ArpConflicts);
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void GratuitousArpWhenTheLinkComesUp()
    {
        var lab = new Lab();
        long t = lab.Now;
        Assert.Equal(t + Router.AnnounceIntervalMs, lab.Poll(t));
        AssertAnnouncement(Assert.Single(lab.TakeLan()));
        Assert.Equal(Router.Never, lab.Poll(t + Router.AnnounceIntervalMs));
        AssertAnnouncement(Assert.Single(lab.TakeLan()));

        // Down: the cache is flushed and its waiting packets dropped; up again: announced again.
        lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Target, 1, 2, 20));
        lab.TakeLan();
        lab.Lan.SetLinkUp(false);
        lab.Poll(t + 5000);
        Assert.Equal(1, lab.Router.Drops(DropReason.InterfaceDown));
        Assert.Equal(0, lab.Pool.InUse);
        lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Target, 1, 2, 20));
        Assert.Equal(2, lab.Router.Drops(DropReason.InterfaceDown));
        lab.Lan.SetLinkUp(true);
        lab.Poll(t + 6000);
        AssertAnnouncement(Assert.Single(lab.TakeLan()));
    }

    private static void AssertAnnouncement(byte[] frame)
    {
        // RFC 5227 §3: an ARP request with sender and target protocol address both ours, target hardware zero.
        var arp = Packets.ArpOfFrame(frame, EthernetAddress.Broadcast);
        Assert.Equal(ArpPacket.OperationRequest, arp.Operation);
        Assert.Equal(Lab.LanAddress, arp.SenderProtocolAddress);
        Assert.Equal(Lab.LanAddress, arp.TargetProtocolAddress);
        Assert.Equal(Lab.RouterMac, arp.SenderHardwareAddress);
        Assert.Equal(0UL, arp.TargetHardwareAddress);
    }

    [Fact]
    public void TableFullEvictsTheOldestResolvedEntryButNeverAnIncompleteOne()
    {
        var lab = new Lab(arpEntries: 2);
        lab.LearnHost(Lab.Ip(10, 0, 0, 50), 0x020000000050UL);
        lab.Now += 10;
        lab.LearnHost(Lab.Ip(10, 0, 0, 51), 0x020000000051UL);
        lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Lab.Ip(10, 0, 0, 52), 1, 2, 20));
        Assert.Equal(ArpState.Free, lab.Router.Arp.StateOf(Lab.Ip(10, 0, 0, 50)));
        Assert.Equal(ArpState.Incomplete, lab.Router.Arp.StateOf(Lab.Ip(10, 0, 0, 52)));
        lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Lab.Ip(10, 0, 0, 53), 1, 2, 20));
        Assert.Equal(ArpState.Incomplete, lab.Router.Arp.StateOf(Lab.Ip(10, 0, 0, 53)));
        lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Lab.Ip(10, 0, 0, 54), 1, 2, 20));
        Assert.Equal(1, lab.Router.Drops(DropReason.NoArpTableFull));
        Assert.Equal(2, lab.Pool.InUse);
    }

    [Fact]
    public void LanTransmitRefusalIsCounted()
    {
        var lab = new Lab();
        lab.LearnHost(Lab.Host, Lab.HostMac);
        for (int i = 0; i < 1100; i++)
        {
            lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Lab.Host, 1, 2, 20));
        }

        Assert.Equal(1 + 1024, lab.Router.Counters(Router.LanInterface).TxPackets);   // the ARP reply, then a full ring
        Assert.Equal(1100 - 1024, lab.Router.Drops(DropReason.TransmitFailed));
        Assert.Equal(0, lab.Pool.InUse);
    }
}
