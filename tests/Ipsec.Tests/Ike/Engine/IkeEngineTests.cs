using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Ipsec.Ike;

namespace VpnAppliance.Ipsec.Tests.Ike.Engine;

public class IkeEngineTests
{
    private static string Dump(IkePair p) =>
        "A:\n" + string.Join("\n", p.A.Log) + "\n" + p.A.Show(p.Now) + "\nB:\n" + string.Join("\n", p.B.Log) + "\n" + p.B.Show(p.Now);

    [Theory]
    [InlineData("aes256gcm16-prfsha256-ecp256", "aes256gcm16")]
    [InlineData("aes256-sha256-modp2048", "aes256-sha256")]
    [InlineData("aes256-sha1-modp1024", "aes256gcm16")]
    [InlineData("aes256-sha256-ecp384", "aes256gcm16")]
    [InlineData("aes128-sha1-modp2048", "aes128-sha1")]
    public void Initiator_and_responder_establish_and_carry_esp(string ike, string esp)
    {
        var p = new IkePair(new HostCryptoProvider());
        p.ConfigureDefault(ike, esp);
        p.Run(500);
        Assert.True(p.A.Tunnel().Up, Dump(p));
        Assert.True(p.B.Tunnel().Up, Dump(p));
        Assert.True(p.A.Logged("established"), Dump(p));
        Assert.True(p.PingAtoB(), Dump(p));
        Assert.True(p.PingBtoA(), Dump(p));
    }
}

public class IkeEngineExchangeTests
{
    private static string Dump(IkePair p) =>
        "A:\n" + string.Join("\n", p.A.Log) + "\n" + p.A.Show(p.Now) + "\nB:\n" + string.Join("\n", p.B.Log) + "\n" + p.B.Show(p.Now);

    private static IkePair Up(string ike = "aes256gcm16-prfsha256-ecp256", string esp = "aes256gcm16", IkeSettings? settings = null)
    {
        var p = new IkePair(new HostCryptoProvider(), 3, settings);
        p.ConfigureDefault(ike, esp);
        p.Run(300);
        Assert.True(p.A.Tunnel().Up && p.B.Tunnel().Up, Dump(p));
        return p;
    }

    /// <summary>Pings both ways every step while <paramref name="action"/>'s exchanges run; returns lost pings.</summary>
    private static int PingThrough(IkePair p, int steps)
    {
        int lost = 0;
        for (int i = 0; i < steps; i++)
        {
            p.A.Engine.Poll(p.Now);
            p.B.Engine.Poll(p.Now);
            if (!p.PingAtoB()) lost++;
            if (!p.PingBtoA()) lost++;
            p.Exchange();
            p.Now += 10;
        }

        return lost;
    }

    [Theory]
    [InlineData(true, "aes256gcm16")]
    [InlineData(false, "aes256gcm16")]
    [InlineData(true, "aes256-sha256-modp2048")]
    [InlineData(false, "aes256-sha256-modp2048")]
    public void Child_rekey_by_either_side_loses_nothing_and_deletes_the_old_sa(bool byInitiator, string esp)
    {
        var p = Up(esp: esp);
        uint oldSpi = p.A.Sad.Get(p.A.Tunnel().OutboundHandle).Outbound.Spi;
        Assert.True((byInitiator ? p.A : p.B).Engine.RequestChildRekey("gw"));
        Assert.Equal(0, PingThrough(p, 50));
        p.Run(200);
        Assert.Equal(0, PingThrough(p, 5));
        Assert.Equal(1, p.A.Sad.InUse);
        Assert.Equal(1, p.B.Sad.InUse);
        Assert.NotEqual(oldSpi, p.A.Sad.Get(p.A.Tunnel().OutboundHandle).Outbound.Spi);
        Assert.Equal(1, (byInitiator ? p.A : p.B).Engine.Counters.ChildRekeys);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ike_rekey_by_either_side_moves_the_child_and_deletes_the_old_ike_sa(bool byInitiator)
    {
        var p = Up();
        Assert.True((byInitiator ? p.A : p.B).Engine.RequestIkeRekey("gw"));
        Assert.Equal(0, PingThrough(p, 30));
        p.Run(200);
        Assert.Equal(1, p.A.Engine.InUse);
        Assert.Equal(1, p.B.Engine.InUse);
        Assert.Equal(0, PingThrough(p, 5));
        // the rekeyed IKE SA works: a CHILD rekey over it
        Assert.True(p.A.Engine.RequestChildRekey("gw"));
        p.Run(200);
        Assert.Equal(0, PingThrough(p, 5));
        Assert.Equal(1, p.A.Sad.InUse);
    }

    [Fact]
    public void Simultaneous_child_rekeys_collide_and_leave_exactly_one_pair_without_loss()
    {
        for (int seed = 0; seed < 6; seed++)
        {
            var p = new IkePair(new HostCryptoProvider(), 100 + seed);
            p.ConfigureDefault();
            p.Run(300);
            Assert.True(p.A.Tunnel().Up, Dump(p));
            Assert.True(p.A.Engine.RequestChildRekey("gw"));
            Assert.True(p.B.Engine.RequestChildRekey("gw"));
            // both requests leave before either is answered
            p.A.Engine.Poll(p.Now);
            p.B.Engine.Poll(p.Now);
            Assert.Equal(0, PingThrough(p, 40));
            p.Run(300);
            Assert.Equal(0, PingThrough(p, 5));
            Assert.Equal(1, p.A.Sad.InUse);
            Assert.Equal(1, p.B.Sad.InUse);
            Assert.True(p.A.Engine.Counters.Collisions + p.B.Engine.Counters.Collisions >= 1, Dump(p));
        }
    }

    [Fact]
    public void Simultaneous_ike_rekeys_collide_and_leave_one_ike_sa_each()
    {
        for (int seed = 0; seed < 4; seed++)
        {
            var p = new IkePair(new HostCryptoProvider(), 200 + seed);
            p.ConfigureDefault();
            p.Run(300);
            Assert.True(p.A.Engine.RequestIkeRekey("gw"));
            Assert.True(p.B.Engine.RequestIkeRekey("gw"));
            p.A.Engine.Poll(p.Now);
            p.B.Engine.Poll(p.Now);
            Assert.Equal(0, PingThrough(p, 40));
            p.Run(40_000);
            Assert.Equal(0, PingThrough(p, 5));
            Assert.Equal(1, p.A.Sad.InUse);
            Assert.Equal(1, p.B.Sad.InUse);
            Assert.Equal(1, p.A.Engine.InUse);
            Assert.Equal(1, p.B.Engine.InUse);
            // still usable
            Assert.True(p.A.Engine.RequestChildRekey("gw"), Dump(p));
            p.Run(300);
            Assert.Equal(0, PingThrough(p, 5));
        }
    }

    [Fact]
    public void Wrong_psk_is_authentication_failed_on_both_sides_and_retried_with_backoff()
    {
        var p = new IkePair(new HostCryptoProvider());
        p.ConfigureDefault(pskB: "another-key-entirely-1234");
        p.Run(1000);
        Assert.False(p.A.Tunnel().Up);
        Assert.True(p.A.Logged("AUTHENTICATION_FAILED"), Dump(p));
        Assert.True(p.B.Logged("AUTHENTICATION_FAILED"), Dump(p));
        Assert.Equal(0, p.B.Engine.InUse);
        long attempts = p.A.Engine.Connection(0).Failures;
        p.Run(60_000, 100);
        long later = p.A.Engine.Connection(0).Failures;
        Assert.InRange(later - attempts, 1, 8);   // back-off: 2, 4, 8, 16, 32 s
    }

    [Fact]
    public void Proposal_mismatch_is_no_proposal_chosen_with_what_to_fix()
    {
        var p = new IkePair(new HostCryptoProvider());
        p.A.Configure(IkePair.Config("initiate", IkePair.GatewayAddress, IkePair.BranchAddress, "aes128-sha256-modp2048"), 0);
        p.B.Configure(IkePair.Config("respond", IkePair.BranchAddress, IkePair.GatewayAddress, "aes256gcm16-prfsha384-ecp384"), 0);
        p.Run(500);
        Assert.True(p.A.Logged("NO_PROPOSAL_CHOSEN"), Dump(p));
        Assert.True(p.B.Logged("NO_PROPOSAL_CHOSEN"), Dump(p));
        Assert.Contains(p.A.Log, l => l.Contains("ike-group"));
        Assert.Equal(0, p.B.Engine.InUse);
    }

    [Fact]
    public void Esp_mismatch_fails_the_child_and_the_ike_sa_is_deleted()
    {
        var p = new IkePair(new HostCryptoProvider());
        p.A.Configure(IkePair.Config("initiate", IkePair.GatewayAddress, IkePair.BranchAddress, esp: "aes128-sha1"), 0);
        p.B.Configure(IkePair.Config("respond", IkePair.BranchAddress, IkePair.GatewayAddress, esp: "aes256gcm16"), 0);
        p.Run(1000);
        Assert.False(p.A.Tunnel().Up);
        Assert.True(p.A.Logged("NO_PROPOSAL_CHOSEN"), Dump(p));
        Assert.True(p.B.Logged("NO_PROPOSAL_CHOSEN"), Dump(p));
        Assert.Equal(0, p.B.Engine.InUse);
    }

    [Fact]
    public void Invalid_ke_payload_makes_the_initiator_retry_with_the_responders_group()
    {
        var p = new IkePair(new HostCryptoProvider());
        p.A.Configure(IkePair.Config("initiate", IkePair.GatewayAddress, IkePair.BranchAddress, "aes256-sha256-ecp256-modp2048"), 0);
        p.B.Configure(IkePair.Config("respond", IkePair.BranchAddress, IkePair.GatewayAddress, "aes256-sha256-modp2048"), 0);
        p.Run(1000);
        Assert.True(p.A.Tunnel().Up, Dump(p));
        Assert.True(p.A.Logged("INVALID_KE_PAYLOAD"), Dump(p));
        Assert.Contains("modp2048", p.A.Show(p.Now));
    }

    [Fact]
    public void Lost_messages_are_retransmitted_and_duplicates_answered_from_the_cache()
    {
        var p = new IkePair(new HostCryptoProvider());
        p.ConfigureDefault();
        int n = 0;
        // drop the first IKE_SA_INIT response and the first IKE_AUTH response
        p.Filter = (from, port, data) => !(from == p.B && (++n == 1 || n == 2));
        p.Run(20_000, 50);
        Assert.True(p.A.Tunnel().Up, Dump(p));
        Assert.True(p.A.Engine.Counters.Retransmits >= 2, Dump(p));
        Assert.True(p.B.Engine.Counters.ResponsesResent >= 1, Dump(p));
        Assert.Equal(1, p.B.Engine.InUse);
        Assert.True(p.PingAtoB());
    }

    [Fact]
    public void Dead_peer_is_detected_by_dpd_and_the_initiator_reconnects_when_it_returns()
    {
        var p = Up();
        bool cut = true;
        p.Filter = (from, port, data) => !cut;
        p.Run(130_000, 100);
        Assert.False(p.A.Tunnel().Up, Dump(p));
        Assert.True(p.A.Logged("peer dead"), Dump(p));
        Assert.True(p.A.Engine.Counters.PeersDead >= 1);
        cut = false;
        p.Run(130_000, 100);
        Assert.True(p.A.Tunnel().Up, Dump(p));
        Assert.True(p.PingAtoB());
    }

    [Fact]
    public void Responder_restart_is_recovered_with_initial_contact()
    {
        var p = Up();
        // the gateway loses all state (restart) and its peer (us) re-initiates after DPD or a delete
        p.B.Configure(IkePair.Config("respond", IkePair.BranchAddress, IkePair.GatewayAddress, psk: "interop-test-key-0123456789") + "\nset vpn peer gw local-id 198.18.1.10", p.Now);
        p.Run(120_000, 100);
        Assert.True(p.A.Tunnel().Up, Dump(p));
        Assert.True(p.PingAtoB(), Dump(p));
        Assert.Equal(1, p.B.Engine.InUse);
    }

    [Fact]
    public void Cookies_are_demanded_above_the_half_open_threshold_and_honoured()
    {
        var settings = new IkeSettings { CookieThreshold = 0 };
        var p = new IkePair(new HostCryptoProvider(), 5, settings);
        p.ConfigureDefault();
        p.Run(1000);
        Assert.True(p.B.Engine.Counters.CookiesSent >= 1, Dump(p));
        Assert.True(p.A.Tunnel().Up, Dump(p));
    }

    [Fact]
    public void Show_output_names_the_suite_spis_selectors_and_counters()
    {
        var p = Up("aes256-sha256-modp2048", "aes256-sha256");
        p.PingAtoB();
        string a = p.A.Show(p.Now);
        Assert.Contains("established", a);
        Assert.Contains("aes256-sha256", a);
        Assert.Contains("modp2048", a);
        Assert.Contains("0.0.0.0/0 === 0.0.0.0/0", a);
        Assert.Contains("vti0, up", a);
    }

    [Fact]
    public void Garbage_never_crashes_and_changes_nothing()
    {
        var p = Up();
        var rnd = new Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            var junk = new byte[rnd.Next(0, 300)];
            rnd.NextBytes(junk);
            if (junk.Length > 28 && rnd.Next(2) == 0)
            {
                junk[17] = 0x20;                      // version 2
                junk[18] = (byte)(34 + rnd.Next(4));  // a known exchange
                int len = junk.Length;
                junk[24] = (byte)(len >> 24); junk[25] = (byte)(len >> 16); junk[26] = (byte)(len >> 8); junk[27] = (byte)len;
            }

            p.B.Engine.OnMessage(rnd.Next(2) == 0 ? 500 : 4500, IkePair.BranchAddress, 4500, junk, 0, junk.Length, p.Now);
        }

        Assert.True(p.PingAtoB());
        Assert.Equal(1, p.B.Engine.InUse);
        p.Run(1000);
        Assert.True(p.B.Tunnel().Up);
    }

    [Fact]
    public void Large_messages_go_as_rfc7383_fragments_and_are_reassembled()
    {
        var settings = new IkeSettings { FragmentSize = 160 };
        var p = new IkePair(new HostCryptoProvider(), 9, settings);
        p.ConfigureDefault("aes256-sha256-modp2048", "aes256-sha256-modp2048");
        p.Run(1000);
        Assert.True(p.A.Tunnel().Up, Dump(p));
        Assert.True(p.A.Engine.Counters.FragmentedSent >= 1, Dump(p));
        Assert.True(p.B.Engine.Counters.Reassembled >= 1, Dump(p));
        // a PFS CHILD rekey (KE payload: large) fragmented too, with a lost fragment retransmitted
        int n = 0;
        p.Filter = (from, port, data) => ++n != 2;
        Assert.True(p.A.Engine.RequestChildRekey("gw"));
        p.Run(30_000, 50);
        Assert.Equal(1, p.A.Engine.Counters.ChildRekeys);
        Assert.True(p.PingAtoB(), Dump(p));
    }

    [Fact]
    public void Retransmission_tries_and_timeout_come_from_the_ike_group()
    {
        var p = new IkePair(new HostCryptoProvider());
        p.A.Configure(IkePair.Config("initiate", IkePair.GatewayAddress, IkePair.BranchAddress,
            extra: "set vpn ike-group G retransmit tries 3\nset vpn ike-group G retransmit timeout 1"), 0);
        p.Filter = (from, port, data) => false;   // the gateway never answers
        p.Run(7_500, 50);                          // sent at 0, 1, 3; given up at 7 s
        Assert.True(p.A.Logged("no response to IKE_SA_INIT after 3 transmissions"), Dump(p));
        Assert.Equal(2, p.A.Engine.Counters.Retransmits);
    }

    [Fact]
    public void Byte_lifetime_triggers_a_child_rekey_and_replay_window_comes_from_the_esp_group()
    {
        var p = new IkePair(new HostCryptoProvider(), 21);
        string extra = "set vpn esp-group E lifetime-bytes 1\nset vpn esp-group E replay-window 64";
        p.A.Configure(IkePair.Config("initiate", IkePair.GatewayAddress, IkePair.BranchAddress, extra: extra), 0);
        p.B.Configure(IkePair.Config("respond", IkePair.BranchAddress, IkePair.GatewayAddress, extra: extra), 0);
        p.Run(300);
        Assert.True(p.A.Tunnel().Up, Dump(p));
        Assert.Equal(64, p.B.Sad.Get(p.B.Tunnel().OutboundHandle).Inbound.Window.Size);
        for (int i = 0; i < 700; i++)
        {
            Assert.True(p.PingAtoB(1400), Dump(p));
            if (i % 50 == 0) p.Run(20);
        }

        p.Run(500);
        Assert.True(p.A.Engine.Counters.ChildRekeys + p.B.Engine.Counters.ChildRekeys >= 1, Dump(p));
        Assert.True(p.PingAtoB(), Dump(p));
    }
}

