using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Tests;

/// <summary>Every golden message cut at every length: as a stream (waits for more) and as a message whose Length says the cut (typed error).</summary>
public class TruncationTests
{
    [Fact]
    public void EveryPrefixOfEveryGolden()
    {
        var sink = new MessageSink();
        int cases = 0;
        foreach (var (name, full) in Golden.All().Append((nameof(Golden.LabSegmentThreeUpdates), Golden.LabSegmentThreeUpdates)))
        {
            var session = name.Contains("TwoOctet") || name.Contains("As4") ? Golden.TwoOctetSession(65010) : Golden.FourOctetSession(0);
            int first = (full[16] << 8) | full[17];
            for (int cut = 0; cut < first; cut++)
            {
                // Stream view: a cut message is incomplete, never an error.
                var part = full[..cut];
                Assert.Equal(MessageSink.Outcome.NeedMore, sink.Process(part, session));

                // Message view: the Length field says the cut; the parser must answer with a typed outcome.
                if (cut >= BgpMessageHeader.Length)
                {
                    var cutMessage = (byte[])part.Clone();
                    cutMessage[16] = (byte)(cut >> 8);
                    cutMessage[17] = (byte)cut;
                    var outcome = sink.Process(cutMessage, session);
                    Assert.NotEqual(MessageSink.Outcome.NeedMore, outcome);
                    if (full[18] == BgpMessageType.Update && outcome == MessageSink.Outcome.UpdateOk)
                    {
                        // A cut UPDATE is only fine when the cut kept both length fields' contents (it fell in the NLRI field).
                        int withdrawn = (full[19] << 8) | full[20];
                        int attributes = (full[21 + withdrawn] << 8) | full[22 + withdrawn];
                        Assert.True(cut >= 23 + withdrawn + attributes, $"{name} cut {cut}");
                    }

                    cases++;
                }
            }

            Assert.NotEqual(MessageSink.Outcome.NeedMore, sink.Process(full, session));
        }

        Assert.True(cases > 500);
    }
}
