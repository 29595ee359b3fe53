using Xunit.Abstractions;
using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Tests;

/// <summary>
/// Bounded, seeded mutation fuzz over every golden: 60,000 inputs through the reassembler and the parsers.
/// Every input must give a typed outcome (a NOTIFICATION to send or an RFC 7606 decision), never an exception;
/// every UPDATE judged acceptable must re-encode and decode to an acceptable UPDATE again.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static byte[] Mutate(Random rng, byte[] seed)
    {
        var m = new List<byte>(seed);
        int edits = rng.Next(1, 5);
        for (int e = 0; e < edits && m.Count > 0; e++)
        {
            int at = rng.Next(m.Count);
            switch (rng.Next(7))
            {
                case 0: m[at] ^= (byte)(1 << rng.Next(8)); break;                              // bit flip
                case 1: m[at] = (byte)rng.Next(256); break;                                     // random byte
                case 2: m[at] = (byte)(new[] { 0, 1, 2, 3, 4, 0x7F, 0x80, 0xFF, 32, 33 })[rng.Next(10)]; break; // boundary values
                case 3: m.RemoveRange(at, Math.Min(rng.Next(1, 8), m.Count - at)); break;     // delete
                case 4: m.InsertRange(at, Enumerable.Range(0, rng.Next(1, 8)).Select(_ => (byte)rng.Next(256))); break; // insert
                case 5: // duplicate a chunk (repeats attributes)
                    int len = Math.Min(rng.Next(1, 16), m.Count - at);
                    m.InsertRange(at, m.GetRange(at, len));
                    break;
                default: m.RemoveRange(at, m.Count - at); break;                                // truncate
            }
        }

        var bytes = m.ToArray();
        if (bytes.Length >= 19 && rng.Next(10) < 8)
        {
            // Mostly keep the header consistent so that the body parsers are reached.
            for (int i = 0; i < 16; i++) bytes[i] = 0xFF;
            bytes[16] = (byte)(bytes.Length >> 8);
            bytes[17] = (byte)bytes.Length;
            if (rng.Next(10) < 9) bytes[18] = seed[18];
        }

        return bytes;
    }

    [Fact]
    public void SixtyThousandMutations()
    {
        var seeds = Golden.All().Select(g => g.Bytes).Append(Golden.LabSegmentThreeUpdates).ToArray();
        var rng = new Random(20261122);
        var sink = new MessageSink();
        var encoder = new UpdateEncoder();
        var reencoded = new byte[4096];
        var again = new ParsedUpdate(null);
        var againDecision = new UpdateDecision();
        var decoder = new UpdateDecoder(null);
        var outcomes = new Dictionary<MessageSink.Outcome, int>();
        var reasons = new HashSet<UpdateErrorReason>();
        for (int i = 0; i < 60_000; i++)
        {
            byte[] input = Mutate(rng, seeds[rng.Next(seeds.Length)]);
            var session = (i % 3) switch
            {
                0 => Golden.FourOctetSession(0),
                1 => Golden.TwoOctetSession(0),
                _ => new SessionParameters { FourOctetAs = true, External = false, LocalAs = 65002, PeerAs = 65002, MultiprotocolIpv4 = i % 2 == 0 },
            };
            session.EnforceFirstAs = false;
            var outcome = sink.Process(input, session);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (outcome == MessageSink.Outcome.UpdateDecision)
            {
                reasons.Add(sink.Decision.Reason);
            }

            if (outcome == MessageSink.Outcome.UpdateOk)
            {
                encoder.Begin(sink.Update, session);
                int n, guard = 0;
                while ((n = encoder.Next(reencoded, 0)) > 0 && guard++ < 10)
                {
                    Assert.Equal(Rfc7606Action.None, decoder.Decode(reencoded, 0, n, session, again, againDecision));
                }

                Assert.True(n == 0, $"input {i}: {Hex.Of(input, 0, input.Length)}");
            }
        }

        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}")));
        output.WriteLine($"distinct RFC 7606 deciding reasons: {reasons.Count}: {string.Join(",", reasons)}");

        // The fuzz reached every kind of outcome and a good share of the RFC 7606 rules.
        foreach (var o in new[] { MessageSink.Outcome.HeaderError, MessageSink.Outcome.OpenError, MessageSink.Outcome.OpenOk, MessageSink.Outcome.UpdateOk, MessageSink.Outcome.UpdateDecision, MessageSink.Outcome.Notification, MessageSink.Outcome.NeedMore })
        {
            Assert.True(outcomes.GetValueOrDefault(o) > 0, o.ToString());
        }

        Assert.True(reasons.Count >= 20, string.Join(",", reasons));
    }
}
