#!/bin/sh
# Captures the golden packets of tests/Wire.Tests (run as root on Linux; needs iproute2, ethtool,
# tshark, iputils ping, netcat-openbsd). Traffic stays inside three network namespaces this script
# creates and removes:
#
#   wire-a (a0 10.0.1.1/24) ---- (r0 10.0.1.2/24) wire-r (r1 10.0.2.1/24) ---- (b0 10.0.2.2/24) wire-b
#                                 IPv4 forwarding on; r1/b0 MTU 100
#
# Checksum offload is turned off on every veth so the capture holds the checksums on the wire.
# Output: /tmp/wire-golden.pcap (classic pcap; kept as Golden/wire-golden.pcap) and a hex dump of every frame (tshark -x) on stdout.
set -eu
PCAP=/tmp/wire-golden.pcap
cleanup() {
  [ -n "${TSHARK_PID:-}" ] && kill "$TSHARK_PID" 2>/dev/null || true
  [ -n "${NC_PID:-}" ] && kill "$NC_PID" 2>/dev/null || true
  for n in wire-a wire-r wire-b; do ip netns del "$n" 2>/dev/null || true; done
}
trap cleanup EXIT
for n in wire-a wire-r wire-b; do ip netns add "$n"; ip -n "$n" link set lo up; done
ip link add a0 netns wire-a address 02:00:00:00:01:01 type veth peer name r0 netns wire-r address 02:00:00:00:01:02
ip link add r1 netns wire-r address 02:00:00:00:02:01 type veth peer name b0 netns wire-b address 02:00:00:00:02:02
ip -n wire-a addr add 10.0.1.1/24 dev a0
ip -n wire-r addr add 10.0.1.2/24 dev r0
ip -n wire-r addr add 10.0.2.1/24 dev r1
ip -n wire-b addr add 10.0.2.2/24 dev b0
ip -n wire-r link set r1 mtu 100
ip -n wire-b link set b0 mtu 100
for p in "wire-a a0" "wire-r r0" "wire-r r1" "wire-b b0"; do
  set -- $p
  ip netns exec "$1" ethtool -K "$2" tx off rx off >/dev/null 2>&1 || true
  ip -n "$1" link set "$2" up
done
ip -n wire-a route add default via 10.0.1.2
ip -n wire-b route add default via 10.0.2.1
ip netns exec wire-r sysctl -qw net.ipv4.ip_forward=1
ip netns exec wire-r sysctl -qw net.ipv4.icmp_ratelimit=0
sleep 1
ip netns exec wire-a tshark -q -i a0 -F pcap -w "$PCAP" >/dev/null 2>&1 &
TSHARK_PID=$!
sleep 2
# 1. ARP request/reply, ICMP echo request/reply with a 16-byte payload
ip netns exec wire-a ping -q -c 1 -s 16 -p 5749524520474f4c44454e2121212121 10.0.1.2 >/dev/null
# 2. time exceeded (TTL 1 expires at wire-r)
ip netns exec wire-a ping -q -c 1 -W 1 -t 1 -s 8 10.0.2.2 >/dev/null || true
# 3. fragmentation needed: 108-byte datagram with DF towards the MTU-100 link (next-hop MTU 100)
ip netns exec wire-a ping -q -c 1 -W 1 -M do -s 80 10.0.2.2 >/dev/null || true
# 4. UDP datagram to a closed port, answered by ICMP port unreachable
printf 'hello udp\n' | ip netns exec wire-a nc -u -w 1 10.0.1.2 9999 || true
# 5. TCP: SYN (MSS, SACK-permitted, timestamps, window scale), SYN-ACK, data, FIN
ip netns exec wire-r nc -l 10.0.1.2 5000 >/dev/null &
NC_PID=$!
sleep 1
printf 'hello tcp\n' | ip netns exec wire-a nc -N 10.0.1.2 5000 || true
sleep 1
# 6. IPv4 fragments (MF, fragment offset): 88-byte echo request over an MTU-68 link without DF
ip -n wire-a link set a0 mtu 68
ip -n wire-r link set r0 mtu 68
ip netns exec wire-a ping -q -c 1 -W 1 -M dont -s 60 10.0.1.2 >/dev/null || true
sleep 2
kill "$TSHARK_PID"; wait "$TSHARK_PID" 2>/dev/null || true
TSHARK_PID=
tshark -r "$PCAP" -t ud
tshark -r "$PCAP" -x
