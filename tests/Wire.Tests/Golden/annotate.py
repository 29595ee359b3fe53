#!/usr/bin/env python3
"""Writes GoldenPackets.cs: selected frames of wire-golden.pcap (classic pcap from capture.sh) as C# byte
arrays with one comment per header field. Field layouts: RFC 894/826/791/792/1191/768/9293/7323/2018.
Usage: python3 Golden/annotate.py > GoldenPackets.cs (from tests/Wire.Tests)."""
import struct, sys, os

HERE = os.path.dirname(os.path.abspath(__file__))
FRAMES = [  # (frame number, C# name, description)
    (1, "ArpRequest", "ARP request: who has 10.0.1.2? tell 10.0.1.1 (sent by `ping 10.0.1.2` in wire-a)"),
    (2, "ArpReply", "ARP reply: 10.0.1.2 is at 02:00:00:00:01:02"),
    (3, "EchoRequest", "ICMP echo request 10.0.1.1 -> 10.0.1.2, `ping -c 1 -s 16` (16 data bytes: a timestamp)"),
    (4, "EchoReply", "ICMP echo reply 10.0.1.2 -> 10.0.1.1 to EchoRequest"),
    (6, "TimeExceeded", "ICMP time exceeded (TTL exceeded in transit) from router wire-r for `ping -t 1 10.0.2.2`"),
    (9, "FragmentationNeeded", "ICMP destination unreachable, fragmentation needed, next-hop MTU 100 (RFC 1191), from wire-r for `ping -M do -s 80 10.0.2.2` over the MTU-100 link"),
    (10, "UdpToClosedPort", "UDP datagram 10.0.1.1:48493 -> 10.0.1.2:9999 \"hello udp\\n\" from `nc -u`"),
    (11, "PortUnreachable", "ICMP destination unreachable, port unreachable, answering UdpToClosedPort"),
    (12, "TcpSyn", "TCP SYN 10.0.1.1:34386 -> 10.0.1.2:5000 from `nc`: MSS 1460, SACK-permitted, timestamps, NOP, window scale 10"),
    (13, "TcpSynAck", "TCP SYN-ACK 10.0.1.2:5000 -> 10.0.1.1:34386 from `nc -l`"),
    (15, "TcpData", "TCP PSH+ACK with 10 data bytes \"hello tcp\\n\" (NOP NOP timestamps)"),
    (20, "FirstFragment", "IPv4 first fragment (MF, offset 0) of an 88-byte echo request, `ping -M dont -s 60` over an MTU-68 link"),
    (21, "LastFragment", "IPv4 last fragment (offset 6 = 48 bytes) of the same echo request"),
]

def read_pcap(path):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    assert magic == 0xA1B2C3D4, "classic little-endian pcap expected"
    pos, frames = 24, []
    while pos < len(data):
        _, _, incl, _ = struct.unpack("<IIII", data[pos:pos + 16])
        frames.append(data[pos + 16:pos + 16 + incl])
        pos += 16 + incl
    return frames

def hx(b): return " ".join("%02x" % x for x in b)
def ip4(b): return ".".join(str(x) for x in b)
def mac(b): return ":".join("%02x" % x for x in b)
def u16(b): return (b[0] << 8) | b[1]
def u32(b): return struct.unpack(">I", bytes(b))[0]

class Out:
    def __init__(self): self.lines = []
    def field(self, b, comment, indent):
        self.lines.append((" " * indent + "\"" + hx(b) + " \"", comment))
    def data(self, b, label, indent):
        for i in range(0, len(b), 16):
            self.field(b[i:i + 16], label if i == 0 else label + " (cont.)", indent)

def ethernet(o, f):
    o.field(f[0:6], "Ethernet destination " + mac(f[0:6]), 12)
    o.field(f[6:12], "Ethernet source " + mac(f[6:12]), 12)
    et = u16(f[12:14])
    o.field(f[12:14], "EtherType 0x%04x (%s)" % (et, {0x0800: "IPv4", 0x0806: "ARP"}.get(et, "?")), 12)
    return et, f[14:]

def arp(o, p, ind):
    o.field(p[0:2], "ARP hardware type 1 (Ethernet)", ind)
    o.field(p[2:4], "ARP protocol type 0x0800 (IPv4)", ind)
    o.field(p[4:5], "hardware address length 6", ind)
    o.field(p[5:6], "protocol address length 4", ind)
    o.field(p[6:8], "operation %d (%s)" % (u16(p[6:8]), {1: "request", 2: "reply"}[u16(p[6:8])]), ind)
    o.field(p[8:14], "sender hardware address " + mac(p[8:14]), ind)
    o.field(p[14:18], "sender protocol address " + ip4(p[14:18]), ind)
    o.field(p[18:24], "target hardware address " + mac(p[18:24]), ind)
    o.field(p[24:28], "target protocol address " + ip4(p[24:28]), ind)

def ipv4(o, p, ind, quoted=False):
    q = "quoted " if quoted else ""
    ihl = (p[0] & 15) * 4
    o.field(p[0:1], q + "IPv4 version 4, IHL 5 (20 bytes)", ind)
    o.field(p[1:2], "type of service 0x%02x" % p[1], ind)
    total = u16(p[2:4])
    o.field(p[2:4], "total length %d" % total, ind)
    o.field(p[4:6], "identification 0x%04x" % u16(p[4:6]), ind)
    ff = u16(p[6:8])
    o.field(p[6:8], "flags%s%s, fragment offset %d (x8 = %d bytes)" % (" DF" if ff & 0x4000 else "", " MF" if ff & 0x2000 else "", ff & 0x1FFF, (ff & 0x1FFF) * 8), ind)
    o.field(p[8:9], "TTL %d" % p[8], ind)
    o.field(p[9:10], "protocol %d (%s)" % (p[9], {1: "ICMP", 6: "TCP", 17: "UDP"}[p[9]]), ind)
    o.field(p[10:12], "header checksum 0x%04x" % u16(p[10:12]), ind)
    o.field(p[12:16], "source " + ip4(p[12:16]), ind)
    o.field(p[16:20], "destination " + ip4(p[16:20]), ind)
    return p[9], ff, p[ihl:total]

def icmp(o, p, ind):
    t, c = p[0], p[1]
    names = {0: "echo reply", 8: "echo request", 3: "destination unreachable", 11: "time exceeded"}
    o.field(p[0:1], "ICMP type %d (%s)" % (t, names[t]), ind)
    o.field(p[1:2], "code %d" % c, ind)
    o.field(p[2:4], "checksum 0x%04x" % u16(p[2:4]), ind)
    if t in (0, 8):
        o.field(p[4:6], "identifier 0x%04x" % u16(p[4:6]), ind)
        o.field(p[6:8], "sequence number %d" % u16(p[6:8]), ind)
        o.data(p[8:], "echo data", ind)
    else:
        if t == 3 and c == 4:
            o.field(p[4:6], "unused", ind)
            o.field(p[6:8], "next-hop MTU %d (RFC 1191 §4)" % u16(p[6:8]), ind)
        else:
            o.field(p[4:8], "unused", ind)
        proto, _, payload = ipv4(o, p[8:], ind + 4, quoted=True)
        rest = p[28:]
        if proto == 1:
            icmp(o, rest, ind + 4)
        elif proto == 17:
            udp(o, rest, ind + 4)

def udp(o, p, ind):
    o.field(p[0:2], "UDP source port %d" % u16(p[0:2]), ind)
    o.field(p[2:4], "destination port %d" % u16(p[2:4]), ind)
    o.field(p[4:6], "length %d" % u16(p[4:6]), ind)
    o.field(p[6:8], "checksum 0x%04x" % u16(p[6:8]), ind)
    o.data(p[8:], "data", ind)

def tcp(o, p, ind):
    o.field(p[0:2], "TCP source port %d" % u16(p[0:2]), ind)
    o.field(p[2:4], "destination port %d" % u16(p[2:4]), ind)
    o.field(p[4:8], "sequence number %d" % u32(p[4:8]), ind)
    o.field(p[8:12], "acknowledgment number %d" % u32(p[8:12]), ind)
    doff = (p[12] >> 4) * 4
    o.field(p[12:13], "data offset %d (%d bytes)" % (p[12] >> 4, doff), ind)
    fl = p[13]
    names = [n for bit, n in [(0x80, "CWR"), (0x40, "ECE"), (0x20, "URG"), (0x10, "ACK"), (0x08, "PSH"), (0x04, "RST"), (0x02, "SYN"), (0x01, "FIN")] if fl & bit]
    o.field(p[13:14], "flags 0x%02x (%s)" % (fl, " ".join(names)), ind)
    o.field(p[14:16], "window %d" % u16(p[14:16]), ind)
    o.field(p[16:18], "checksum 0x%04x" % u16(p[16:18]), ind)
    o.field(p[18:20], "urgent pointer 0", ind)
    i = 20
    while i < doff:
        k = p[i]
        if k in (0, 1):
            o.field(p[i:i + 1], "option " + ("EOL" if k == 0 else "NOP"), ind + 4); i += 1; continue
        l = p[i + 1]; v = p[i + 2:i + l]
        desc = {2: lambda: "MSS %d" % u16(v), 3: lambda: "window scale %d" % v[0], 4: lambda: "SACK-permitted",
                8: lambda: "timestamps TSval %d TSecr %d" % (u32(v[0:4]), u32(v[4:8]))}[k]()
        o.field(p[i:i + l], "option kind %d length %d: %s" % (k, l, desc), ind + 4)
        i += l
    o.data(p[doff:], "data", ind)

def main():
    frames = read_pcap(os.path.join(HERE, "wire-golden.pcap"))
    w = sys.stdout.write
    w("// Generated by Golden/annotate.py from Golden/wire-golden.pcap; do not edit by hand.\n")
    w("// Source of every packet: captured 2026-11-22 with tshark 4.0.17 on veth a0 in network namespace wire-a\n")
    w("// (Golden/capture.sh: namespaces wire-a 10.0.1.1 -- wire-r 10.0.1.2/10.0.2.1 (forwarding, MTU 100 towards\n")
    w("// wire-b) -- wire-b 10.0.2.2, checksum offload off). tshark's dissector reports every IPv4, ICMP, UDP and\n")
    w("// TCP checksum of these frames as good. GoldenSourceTests checks each array against the pcap.\n")
    w("namespace VpnAppliance.Wire.Tests;\n\n")
    w("/// <summary>Real Ethernet frames with one comment per field.</summary>\n")
    w("public static class GoldenPackets\n{\n")
    for number, name, desc in FRAMES:
        f = frames[number - 1]
        o = Out()
        et, payload = ethernet(o, f)
        if et == 0x0806:
            arp(o, payload, 16)
        else:
            proto, ff, l4 = ipv4(o, payload, 16)
            if ff & 0x1FFF:
                o.data(l4, "fragment data (bytes 48..67 of the ICMP message)", 20)
            elif ff & 0x2000:
                o.field(l4[0:1], "ICMP type 8 (echo request)", 20)
                o.field(l4[1:2], "code 0", 20)
                o.field(l4[2:4], "checksum 0x%04x (over the reassembled message)" % u16(l4[2:4]), 20)
                o.field(l4[4:6], "identifier 0x%04x" % u16(l4[4:6]), 20)
                o.field(l4[6:8], "sequence number %d" % u16(l4[6:8]), 20)
                o.data(l4[8:], "echo data (first 40 bytes)", 20)
            elif proto == 1:
                icmp(o, l4, 20)
            elif proto == 17:
                udp(o, l4, 20)
            else:
                tcp(o, l4, 20)
        w("    /// <summary>Frame %d (%d bytes): %s.</summary>\n" % (number, len(f), desc.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")))
        w("    public static readonly byte[] %s = Hex.Parse(\n" % name)
        width = max(len(a) for a, _ in o.lines) + 2
        for i, (a, c) in enumerate(o.lines):
            sep = " +" if i < len(o.lines) - 1 else ");"
            w((a + sep).ljust(width + 2) + " // " + c + "\n")
        w("\n    /// <summary>Frame number of <see cref=\"%s\"/> in Golden/wire-golden.pcap.</summary>\n" % name)
        w("    public const int %sFrame = %d;\n\n" % (name, number))
    w("}\n")

main()
