using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Speaker;
using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Tests.Engine;

/// <summary>Builds UPDATE messages and feeds them to a speaker as if its peer had sent them.</summary>
public static class Updates
{
    public static ParsedUpdate Attrs(uint nextHop, params uint[] asPath)
    {
        var u = new ParsedUpdate(null);
        u.SetOrigin(0);
        u.SetPresent(PathAttributeType.AsPath);
        if (asPath.Length > 0)
        {
            u.AsPath.BeginSegment(AsPath.AsSequence);
            foreach (var a in asPath) u.AsPath.Append(a);
        }

        u.SetNextHop(nextHop);
        return u;
    }

    public static ParsedUpdate Announce(this ParsedUpdate u, params string[] prefixes)
    {
        foreach (var p in prefixes)
            u.AddPrefix(PrefixSection.Nlri, Build.Ip(p.Split('/')[0]), int.Parse(p.Split('/')[1]));
        return u;
    }

    public static ParsedUpdate Withdraw(this ParsedUpdate u, params string[] prefixes)
    {
        foreach (var p in prefixes)
            u.AddPrefix(PrefixSection.Withdrawn, Build.Ip(p.Split('/')[0]), int.Parse(p.Split('/')[1]));
        return u;
    }

    public static SessionParameters Session4(uint localAs, uint peerAs) => new() { FourOctetAs = true, LocalAs = localAs, PeerAs = peerAs, External = localAs != peerAs };

    public static List<byte[]> Encode(ParsedUpdate u, SessionParameters s)
    {
        var enc = new UpdateEncoder();
        enc.Begin(u, s);
        var list = new List<byte[]>();
        var buf = new byte[4096];
        int n;
        while ((n = enc.Next(buf, 0)) > 0) list.Add(buf[..n]);
        return list;
    }

    /// <summary>Prepares <paramref name="session"/>'s negotiated parameters as a 4-octet eBGP session and delivers <paramref name="u"/>.</summary>
    public static void Feed(BgpSpeaker speaker, BgpSession session, ParsedUpdate u, long now = 1000)
    {
        var p = session.Params;
        p.FourOctetAs = true;
        p.LocalAs = session.Config.LocalAs;
        p.PeerAs = session.Config.RemoteAs;
        p.External = session.Config.IsExternal;
        foreach (var m in Encode(u, Session4(session.Config.RemoteAs, session.Config.LocalAs)))
            speaker.UpdateReceived(session, m, 0, m.Length, now);
    }
}
