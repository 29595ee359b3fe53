namespace VpnAppliance.HostNet.Tests;

/// <summary>
/// Hand-built Ethernet II / ARP / IPv4 / ICMP frames and a few field checks, written here from the
/// RFCs so that these tests do not lean on the firmware's wire code they will later exercise.
/// Offsets: Ethernet dst 0-5, src 6-11, EtherType 12-13 (IEEE 802.3); ARP (RFC 826) at 14:
/// htype 14-15, ptype 16-17, hlen 18, plen 19, oper 20-21, sha 22-27, spa 28-31, tha 32-37,
/// tpa 38-41; IPv4 (RFC 791) at 14, ICMP (RFC 792) at 34 for a 20-byte IPv4 header.
/// Addresses are host-order uints. Nothing here allocates.
/// </summary>
public static class LanFrames
{
    public const ushort EtherTypeIPv4 = 0x0800;
    public const ushort EtherTypeArp = 0x0806;
    public const int ArpFrameLength = 42;
    public const ushort ArpRequest = 1;
    public const ushort ArpReply = 2;
    public const byte IcmpEchoReply = 0;
    public const byte IcmpEchoRequest = 8;

    public static uint Ip(int a, int b, int c, int d) => (uint)((a << 24) | (b << 16) | (c << 8) | d);

    public static string IpText(uint ip) => $"{ip >> 24}.{(ip >> 16) & 255}.{(ip >> 8) & 255}.{ip & 255}";

    /// <summary>ARP request "who has <paramref name="targetIp"/> tell <paramref name="senderIp"/>", broadcast. Returns 42.</summary>
    public static int WriteArpRequest(byte[] f, byte[] senderMac, uint senderIp, uint targetIp)
    {
        for (int i = 0; i < 6; i++)
        {
            f[i] = 0xff;
            f[32 + i] = 0;
        }

        return WriteArp(f, senderMac, senderIp, targetIp, ArpRequest);
    }

    /// <summary>ARP reply "<paramref name="senderIp"/> is at <paramref name="senderMac"/>" to the target. Returns 42.</summary>
    public static int WriteArpReply(byte[] f, byte[] senderMac, uint senderIp, byte[] targetMac, uint targetIp)
    {
        Array.Copy(targetMac, 0, f, 0, 6);
        Array.Copy(targetMac, 0, f, 32, 6);
        return WriteArp(f, senderMac, senderIp, targetIp, ArpReply);
    }

    /// <summary>An ICMP echo (request or reply) in IPv4 in Ethernet, checksums filled. Returns the frame length.</summary>
    public static int WriteIcmpEcho(byte[] f, byte type, byte[] srcMac, byte[] dstMac, uint srcIp, uint dstIp,
        ushort id, ushort seq, byte[] payload, int payloadOffset, int payloadLength)
    {
        Array.Copy(dstMac, 0, f, 0, 6);
        Array.Copy(srcMac, 0, f, 6, 6);
        Put16(f, 12, EtherTypeIPv4);
        int totalLength = 20 + 8 + payloadLength;

        // IPv4 header (RFC 791 §3.1): version 4, IHL 5, DSCP 0, total length, id, DF, TTL 64, protocol 1 (ICMP).
        f[14] = 0x45;
        f[15] = 0;
        Put16(f, 16, (ushort)totalLength);
        Put16(f, 18, seq);
        Put16(f, 20, 0x4000);
        f[22] = 64;
        f[23] = 1;
        Put16(f, 24, 0);
        Put32(f, 26, srcIp);
        Put32(f, 30, dstIp);
        Put16(f, 24, InternetChecksum(f, 14, 20));

        // ICMP echo (RFC 792): type, code 0, checksum over the ICMP message, identifier, sequence, data.
        f[34] = type;
        f[35] = 0;
        Put16(f, 36, 0);
        Put16(f, 38, id);
        Put16(f, 40, seq);
        Array.Copy(payload, payloadOffset, f, 42, payloadLength);
        Put16(f, 36, InternetChecksum(f, 34, 8 + payloadLength));
        return 14 + totalLength;
    }

    /// <summary>RFC 1071 one's-complement sum of 16-bit words, complemented.</summary>
    public static ushort InternetChecksum(byte[] b, int offset, int length)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < length; i += 2)
        {
            sum += (uint)((b[offset + i] << 8) | b[offset + i + 1]);
        }

        if (i < length)
        {
            sum += (uint)(b[offset + i] << 8);
        }

        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    public static ushort EtherType(byte[] f, int length) => length < 14 ? (ushort)0 : Get16(f, 12);

    /// <summary>True for an IPv4-over-Ethernet ARP packet with operation <paramref name="oper"/>.</summary>
    public static bool IsArp(byte[] f, int length, ushort oper) =>
        length >= ArpFrameLength && Get16(f, 12) == EtherTypeArp && Get16(f, 14) == 1 && Get16(f, 16) == EtherTypeIPv4 &&
        f[18] == 6 && f[19] == 4 && Get16(f, 20) == oper;

    public static uint ArpSenderIp(byte[] f) => Get32(f, 28);

    public static uint ArpTargetIp(byte[] f) => Get32(f, 38);

    /// <summary>True for an IPv4 ICMP echo of the given type with valid IPv4 and ICMP checksums.</summary>
    public static bool IsIcmpEcho(byte[] f, int length, byte type)
    {
        if (length < 42 || Get16(f, 12) != EtherTypeIPv4 || f[14] != 0x45 || f[23] != 1 || f[34] != type)
        {
            return false;
        }

        int totalLength = Get16(f, 16);
        if (totalLength < 28 || 14 + totalLength > length)
        {
            return false;
        }

        return InternetChecksum(f, 14, 20) == 0 && InternetChecksum(f, 34, totalLength - 20) == 0;
    }

    public static uint IpSource(byte[] f) => Get32(f, 26);

    public static uint IpDestination(byte[] f) => Get32(f, 30);

    public static ushort IcmpId(byte[] f) => Get16(f, 38);

    public static ushort IcmpSeq(byte[] f) => Get16(f, 40);

    public static int IcmpPayloadLength(byte[] f) => Get16(f, 16) - 28;

    public static bool MacEquals(byte[] f, int offset, byte[] mac)
    {
        for (int i = 0; i < 6; i++)
        {
            if (f[offset + i] != mac[i])
            {
                return false;
            }
        }

        return true;
    }

    public static ushort Get16(byte[] b, int o) => (ushort)((b[o] << 8) | b[o + 1]);

    public static uint Get32(byte[] b, int o) => ((uint)b[o] << 24) | ((uint)b[o + 1] << 16) | ((uint)b[o + 2] << 8) | b[o + 3];

    private static int WriteArp(byte[] f, byte[] senderMac, uint senderIp, uint targetIp, ushort oper)
    {
        Array.Copy(senderMac, 0, f, 6, 6);
        Put16(f, 12, EtherTypeArp);
        Put16(f, 14, 1);
        Put16(f, 16, EtherTypeIPv4);
        f[18] = 6;
        f[19] = 4;
        Put16(f, 20, oper);
        Array.Copy(senderMac, 0, f, 22, 6);
        Put32(f, 28, senderIp);
        Put32(f, 38, targetIp);
        return ArpFrameLength;
    }

    private static void Put16(byte[] b, int o, ushort v)
    {
        b[o] = (byte)(v >> 8);
        b[o + 1] = (byte)v;
    }

    private static void Put32(byte[] b, int o, uint v)
    {
        b[o] = (byte)(v >> 24);
        b[o + 1] = (byte)(v >> 16);
        b[o + 2] = (byte)(v >> 8);
        b[o + 3] = (byte)v;
    }
}
