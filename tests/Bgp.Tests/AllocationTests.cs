using System.Diagnostics;
using VpnAppliance.Bgp.Wire;
using Xunit.Abstractions;

namespace VpnAppliance.Bgp.Tests;

/// <summary>Steady state allocates nothing: reassembling, decoding and encoding UPDATEs of known shape, KEEPALIVEs, NOTIFICATIONs.</summary>
public class AllocationTests(ITestOutputHelper output)
{
    [Fact]
    public void UpdatePathAllocatesNothingAfterWarmUp()
    {
        var r = new BgpMessageReassembler(8192);
        var dec = new UpdateDecoder(null);
        var u = new ParsedUpdate(null);
        var d = new UpdateDecision();
        var enc = new UpdateEncoder();
        var s4 = Golden.FourOctetSession(0);
        s4.EnforceFirstAs = false;
        var s2 = Golden.TwoOctetSession(65010);
        var outBuffer = new byte[4096];
        byte[] stream = Golden.LabSegmentThreeUpdates;
        byte[][] updates = { Golden.LabUpdateBird, Golden.LabUpdateGobgpCommunities, Golden.LabUpdateGobgpLarge, Golden.RfcMpUpdate, Golden.LabWithdrawFour };
        var bad = Rfc7606TableTests.Message("", "4001020000", "180a0200"); // a treat-as-withdraw case

        void Round()
        {
            foreach (var m in updates)
            {
                dec.Decode(m, 0, m.Length, s4, u, d);
                enc.Begin(u, s4);
                while (enc.Next(outBuffer, 0) > 0) { }
                _ = d.LogLine;
            }

            dec.Decode(bad, 0, bad.Length, s4, u, d);
            _ = d.LogLine;
            for (int p = 0; p < stream.Length; p += 37)
            {
                r.Write(stream, p, Math.Min(37, stream.Length - p));
                while (r.Next() == BgpMessageReassembler.Status.Message)
                {
                    dec.Decode(r.Buffer, r.MessageOffset, r.MessageLength, s2, u, d);
                    enc.Begin(u, s2);
                    while (enc.Next(outBuffer, 0) > 0) { }
                }
            }

            KeepaliveMessage.Encode(outBuffer, 0);
            d.Notification.EncodeNotification(outBuffer, 0);
        }

        Round();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Round();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);

        // Informational figure only (never asserted): decode + re-encode of the golden LabUpdateBird.
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 100_000; i++)
        {
            dec.Decode(Golden.LabUpdateBird, 0, Golden.LabUpdateBird.Length, s4, u, d);
            enc.Begin(u, s4);
            enc.Next(outBuffer, 0);
        }

        output.WriteLine($"decode+encode LabUpdateBird: {sw.Elapsed.TotalMilliseconds * 1000 / 100_000:F2} us per message (host, Release)");
    }

    [Fact]
    public void DefaultCapacitiesFitTheBudgetEstimate()
    {
        // Figures for board budgets: a ParsedUpdate with default capacities.
        var c = new UpdateCapacities();
        Assert.Equal(4073, c.Prefixes);
        Assert.InRange(c.EstimatedBytes(), 20_000, 40_000);
    }
}
