using VpnAppliance.Bgp.Rib;
using VpnAppliance.Bgp.Wire;
using static VpnAppliance.Bgp.Tests.Engine.Build;

namespace VpnAppliance.Bgp.Tests.Engine;

/// <summary>The decision process (RFC 4271 §9.1) as a table: two paths to one prefix, which wins and by which step.</summary>
public class DecisionTests
{
    /// <summary>One candidate path: peer slot, peer facts, attributes.</summary>
    public sealed record PathSpec(int Peer, bool External, uint RouterId, uint PeerAddress, uint[] AsPath, int Origin = 0,
        uint? Med = null, uint? LocalPref = null, uint NextHop = 0, bool AsSet = false);

    private static RibTable Rib() => new(8, 100, 100, 64, 8);

    private static int Install(RibTable rib, PathSpec s)
    {
        rib.PeerExternal[s.Peer] = s.External;
        rib.PeerRouterId[s.Peer] = s.RouterId;
        rib.PeerAddress[s.Peer] = s.PeerAddress;
        var u = new ParsedUpdate(null);
        u.SetOrigin(s.Origin);
        u.SetPresent(PathAttributeType.AsPath);
        if (s.AsPath.Length > 0)
        {
            u.AsPath.BeginSegment(s.AsSet ? AsPath.AsSet : AsPath.AsSequence);
            foreach (var a in s.AsPath) u.AsPath.Append(a);
        }

        if (s.Med is uint m) u.SetMed(m);
        if (s.LocalPref is uint lp) u.SetLocalPref(lp);
        Assert.Equal(RibResult.Ok, rib.Attributes.Intern(u, s.NextHop == 0 ? s.PeerAddress : s.NextHop, out int attr));
        Assert.Equal(RibResult.Ok, rib.Announce(s.Peer, Ip("10.0.0.0"), 8, attr, out _));
        return rib.FindPath(rib.FindPrefix(Ip("10.0.0.0"), 8), s.Peer);
    }

    private static readonly uint P1 = Ip("169.254.21.1"), P2 = Ip("169.254.22.1");

    public static IEnumerable<object[]> Table()
    {
        // winner (0 = first, 1 = second), deciding step, first path, second path
        yield return Row(1, TieBreaker.LocalPref,
            new PathSpec(0, false, 1, P1, new uint[] { 65001 }, LocalPref: 100),
            new PathSpec(1, false, 2, P2, new uint[] { 65001, 65002, 65003 }, LocalPref: 200));
        yield return Row(0, TieBreaker.AsPathLength,
            new PathSpec(0, true, 9, P2, new uint[] { 65001 }),
            new PathSpec(1, true, 1, P1, new uint[] { 65002, 65003 }));
        // An AS_SET counts one (RFC 4271 §9.1.2.2 a): {65002,65003,65004} (1) beats 65005 65006 (2).
        yield return Row(1, TieBreaker.AsPathLength,
            new PathSpec(0, true, 1, P1, new uint[] { 65005, 65006 }),
            new PathSpec(1, true, 9, P2, new uint[] { 65002, 65003, 65004 }, AsSet: true));
        yield return Row(1, TieBreaker.Origin,
            new PathSpec(0, true, 1, P1, new uint[] { 65001 }, Origin: 2),
            new PathSpec(1, true, 9, P2, new uint[] { 65002 }, Origin: 0));
        // MED between paths from the same neighbour AS; a missing MED counts 0.
        yield return Row(1, TieBreaker.Med,
            new PathSpec(0, true, 1, P1, new uint[] { 65001 }, Med: 100),
            new PathSpec(1, true, 9, P2, new uint[] { 65001 }, Med: 50));
        yield return Row(1, TieBreaker.Med,
            new PathSpec(0, true, 1, P1, new uint[] { 65001 }, Med: 10),
            new PathSpec(1, true, 9, P2, new uint[] { 65001 }));
        // Different neighbour ASes: MED is not compared, the router id decides.
        yield return Row(0, TieBreaker.RouterId,
            new PathSpec(0, true, 1, P2, new uint[] { 65001 }, Med: 100),
            new PathSpec(1, true, 9, P1, new uint[] { 65002 }, Med: 50));
        yield return Row(0, TieBreaker.ExternalOverInternal,
            new PathSpec(0, true, 9, P2, new uint[] { 65001 }),
            new PathSpec(1, false, 1, P1, new uint[] { 65001 }));
        yield return Row(1, TieBreaker.RouterId,
            new PathSpec(0, true, 0x0A000009, P1, new uint[] { 65001 }),
            new PathSpec(1, true, 0x0A000002, P2, new uint[] { 65001 }));
        yield return Row(1, TieBreaker.PeerAddress,
            new PathSpec(0, true, 7, P2, new uint[] { 65001 }),
            new PathSpec(1, true, 7, P1, new uint[] { 65001 }));
        // External paths count LOCAL_PREF 100 whatever they carry (RFC 4271 §5.1.5 / §9.1.1).
        yield return Row(0, TieBreaker.LocalPref,
            new PathSpec(0, true, 9, P2, new uint[] { 65001, 65002 }, LocalPref: 50),
            new PathSpec(1, false, 1, P1, new uint[] { 65001 }, LocalPref: 90));
    }

    private static object[] Row(int winner, TieBreaker step, PathSpec a, PathSpec b) => new object[] { winner, step, a, b };

    [Theory]
    [MemberData(nameof(Table))]
    public void EachTieBreaker(int winner, TieBreaker step, PathSpec first, PathSpec second)
    {
        var rib = Rib();
        int pa = Install(rib, first);
        int pb = Install(rib, second);
        int c = rib.Selection.Compare(pa, pb, out TieBreaker reason);
        Assert.Equal(step, reason);
        Assert.Equal(winner == 0, c < 0);
        Assert.Equal(winner == 0 ? pa : pb, rib.Best[rib.FindPrefix(Ip("10.0.0.0"), 8)]);
        // The other order gives the same answer.
        var rib2 = Rib();
        int qb = Install(rib2, second);
        int qa = Install(rib2, first);
        Assert.Equal(winner == 0 ? qa : qb, rib2.Best[rib2.FindPrefix(Ip("10.0.0.0"), 8)]);
    }

    [Fact]
    public void AlwaysCompareMedComparesAcrossNeighbourAses()
    {
        var rib = Rib();
        rib.Selection.AlwaysCompareMed = true;
        int a = Install(rib, new PathSpec(0, true, 1, P1, new uint[] { 65001 }, Med: 100));
        int b = Install(rib, new PathSpec(1, true, 9, P2, new uint[] { 65002 }, Med: 50));
        Assert.True(rib.Selection.Compare(a, b, out var reason) > 0);
        Assert.Equal(TieBreaker.Med, reason);
    }

    [Fact]
    public void MultipathTakesEqualPathsFromDifferentPeersUpToMaximumPaths()
    {
        var rib = Rib();
        rib.MaximumPaths = 2;
        Install(rib, new PathSpec(0, true, 1, P1, new uint[] { 65515 }));
        Install(rib, new PathSpec(1, true, 2, P2, new uint[] { 65515 }));
        Install(rib, new PathSpec(2, true, 3, Ip("169.254.23.1"), new uint[] { 65515 }));
        Install(rib, new PathSpec(3, true, 4, Ip("169.254.24.1"), new uint[] { 65515, 65515 })); // longer: never in the set
        int prefix = rib.FindPrefix(Ip("10.0.0.0"), 8);
        Assert.Equal(0b0011u, rib.EcmpMask[prefix]); // the two lowest router ids
        rib.MaximumPaths = 8;
        rib.DecideAll();
        Assert.Equal(0b0111u, rib.EcmpMask[prefix]);
        // A different neighbour AS is not in the set (no multipath-relax).
        Install(rib, new PathSpec(4, true, 5, Ip("169.254.25.1"), new uint[] { 64512 }));
        Assert.Equal(0b0111u, rib.EcmpMask[prefix]);
        // Withdrawing the best moves the set on.
        rib.Withdraw(0, Ip("10.0.0.0"), 8);
        Assert.Equal(0b0110u, rib.EcmpMask[prefix]);
        Assert.True(rib.ChangeCount > 0);
    }

    [Fact]
    public void LocalNetworkBeatsLearnedPaths()
    {
        var rib = Rib();
        Install(rib, new PathSpec(0, true, 1, P1, new uint[] { }));
        var u = new ParsedUpdate(null);
        u.SetOrigin(2);
        u.SetPresent(PathAttributeType.AsPath);
        rib.Attributes.Intern(u, 0, out int attr);
        rib.Announce(rib.LocalPeer, Ip("10.0.0.0"), 8, attr, out _);
        int prefix = rib.FindPrefix(Ip("10.0.0.0"), 8);
        Assert.Equal(rib.LocalPeer, rib.PathPeer[rib.Best[prefix]]);
    }

    [Fact]
    public void AttributeSetsAreSharedAndFreed()
    {
        var rib = Rib();
        var u = Updates.Attrs(P1, 65001, 65002);
        Assert.Equal(RibResult.Ok, rib.Attributes.Intern(u, P1, out int a1));
        Assert.Equal(RibResult.Ok, rib.Attributes.Intern(u, P1, out int a2));
        Assert.Equal(a1, a2);
        Assert.Equal(2, rib.Attributes.RefCount[a1]);
        Assert.Equal(RibResult.Ok, rib.Attributes.Intern(u, P2, out int a3));
        Assert.NotEqual(a1, a3);
        rib.Attributes.Release(a1);
        rib.Attributes.Release(a1);
        rib.Attributes.Release(a3);
        Assert.Equal(0, rib.Attributes.Count);
        var back = new ParsedUpdate(null);
        rib.Attributes.Intern(u, P1, out int a4);
        rib.Attributes.Load(a4, back);
        Assert.True(back.AsPath.SameAs(u.AsPath));
        Assert.Equal(P1, back.NextHop);
    }

    [Fact]
    public void FullPoolsAreTypedAndCounted()
    {
        var rib = new RibTable(2, 3, 100, 4, 1);
        var u = Updates.Attrs(P1, 65001);
        for (int i = 0; i < 3; i++)
        {
            rib.Attributes.Intern(u, P1, out int a);
            Assert.Equal(RibResult.Ok, rib.Announce(0, (uint)(i + 1) << 24, 8, a, out _));
        }

        rib.Attributes.Intern(u, P1, out int more);
        Assert.Equal(RibResult.PathsFull, rib.Announce(0, 99u << 24, 8, more, out _));
        Assert.Equal(1, rib.PathsFullCount);
        Assert.Equal(3, rib.PathCount);
        Assert.Equal(3, rib.PrefixCount);
        for (uint nh = 1; nh <= 5; nh++) rib.Attributes.Intern(u, nh, out _);
        Assert.Equal(RibResult.AttributesFull, rib.Attributes.Intern(u, 77, out _));
    }
}
