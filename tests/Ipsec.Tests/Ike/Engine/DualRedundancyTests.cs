using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Doubles;

namespace VpnAppliance.Ipsec.Tests.Ike.Engine;

/// <summary>
/// Dual redundancy (Azure: two on-premises devices or two links x active-active = 4 tunnels): one branch with four
/// connections to four gateway instances at once, each with its own IKE SA and tunnel interface.
/// </summary>
public class DualRedundancyTests
{
    [Fact]
    public void Four_connections_each_with_its_own_ike_sa_and_tunnel()
    {
        var provider = new HostCryptoProvider();
        var branch = new IkeSide("branch", IkePair.BranchAddress, provider, 11);
        var gateways = new IkeSide[4];
        string config = "set interfaces lan address 192.168.10.1/24\nset interfaces wan address 198.18.0.2/24\n" +
            "set vpn ike-group G proposal aes256gcm16-prfsha256-ecp256\nset vpn esp-group E proposal aes256gcm16\n";
        for (int i = 0; i < 4; i++)
        {
            uint gw = IkePair.GatewayAddress + (uint)i;
            gateways[i] = new IkeSide("gw" + i, gw, provider, 100 + i);
            gateways[i].Configure(IkePair.Config("respond", IkePair.BranchAddress, gw, psk: "key-for-instance-" + i + "-abcdef"), 0);
            config += $"set vpn peer gw{i} address {IkePair.IkeEngine_Ipv4(gw)}\nset vpn peer gw{i} psk \"key-for-instance-{i}-abcdef\"\n" +
                $"set vpn peer gw{i} ike-group G\nset vpn peer gw{i} esp-group E\nset vpn peer gw{i} connection-type initiate\n" +
                $"set vpn tunnel vti{i} peer gw{i}\nset vpn tunnel vti{i} address 169.254.2{i}.2/30\n";
        }

        branch.Configure(config, 0);
        var buf = new byte[4096];
        var to = new UdpEndpoint();
        long now = 0;
        for (int step = 0; step < 200; step++, now += 10)
        {
            branch.Engine.Poll(now);
            foreach (var g in gateways) g.Engine.Poll(now);
            Pump(branch, gateways, buf, to, now);
        }

        Assert.Equal(4, branch.Engine.InUse);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(branch.Tunnel(i).Up, string.Join("\n", branch.Log));
            Assert.True(gateways[i].Tunnel(0).Up);
            Assert.Equal(1, gateways[i].Engine.InUse);
            byte[] p = IkePair.InnerPacket(120, i);
            Assert.Equal(PortResult.Ok, branch.Tunnel(i).Transmit(p, 0, p.Length, now));
            Pump(branch, gateways, buf, to, now);
            Assert.Single(gateways[i].Delivered);
        }

        // each SA is separate: deleting one connection leaves the other three untouched
        Assert.True(branch.Engine.Terminate("gw2", now));
        Assert.False(branch.Tunnel(2).Up);
        Assert.True(branch.Tunnel(0).Up && branch.Tunnel(1).Up && branch.Tunnel(3).Up);
    }

    private static void Pump(IkeSide branch, IkeSide[] gateways, byte[] buf, UdpEndpoint to, long now)
    {
        for (int round = 0; round < 8; round++)
        {
            int moved = 0;
            moved += Drain(branch, branch.Ike, 500, gateways, buf, to, now);
            moved += Drain(branch, branch.NatT, 4500, gateways, buf, to, now);
            foreach (var g in gateways)
            {
                moved += Drain(g, g.Ike, 500, new[] { branch }, buf, to, now);
                moved += Drain(g, g.NatT, 4500, new[] { branch }, buf, to, now);
            }

            if (moved == 0) return;
        }
    }

    private static int Drain(IkeSide from, MemoryUdpPort port, int fromPort, IkeSide[] targets, byte[] buf, UdpEndpoint to, long now)
    {
        int moved = 0;
        for (int guard = 0; guard < 256; guard++)
        {
            int n = port.TakeSent(buf, 0, buf.Length, to);
            if (n < 0) break;
            moved++;
            IkeSide? target = targets.FirstOrDefault(t => t.Address == to.Address);
            if (target == null) continue;
            byte[] data = buf.AsSpan(0, n).ToArray();
            if (to.Port == 500)
            {
                target.Engine.OnMessage(500, from.Address, fromPort, data, 0, data.Length, now);
                continue;
            }

            EspReceiveKind kind = target.Receiver.Receive(data, 0, data.Length, now, target.Result);
            if (kind == EspReceiveKind.Ike) target.Engine.OnMessage(4500, from.Address, fromPort, data, target.Result.Offset, target.Result.Length, now);
            else if (kind == EspReceiveKind.Inner) target.Delivered.Add(data.AsSpan(target.Result.Offset, target.Result.Length).ToArray());
        }

        return moved;
    }
}
