# tools/lab/lib/inject.sh: route injection for `bench bgp` (issue 7): the prefix plan and GoBGP fed
# from an MRT file (one gRPC stream instead of one CLI call per prefix).
#
# Prefix plan (inject_plan N): N distinct prefixes inside 10.0.0.0/8 of length 22..24, so that the
# lab's existing filters hold all of them (the appliance's VNET-IN `10.0.0.0/8 le 24`, the strongSwan
# branch's BIRD `10.0.0.0/8{8,24}`, the gateway BIRD exports every injector route):
#   index 0 .. 65023      /24s 10.s.t.0/24, s in 0, 2..254 (ascending), t in 0..255
#   index 65024 .. 97407  /23s 10.s.t.0/23, s in 0, 2..253, t even
#   index 97408 .. 113599 /22s 10.s.t.0/22, s in 0, 2..253, t multiple of 4
# 10.1.0.0/16 (the VNet 10.1.0.0/24) and 10.255.0.0/16 (injector addresses on the gateway's lo)
# are left out. At most INJECT_MAX prefixes. Prefixes overlap above 65024 (a /24 inside a /23
# inside a /22): they are distinct NLRI to BGP and to the RIBs; for forwarding the longest wins.
# The convergence probe (inject_probe N) is an address in the last /24 of the plan; above 65024
# that is 10.254.255.0/24, which no /23 or /22 of the plan covers (they stop at 10.253), so only
# that prefix routes the probe.

INJECT_MAX=113600

# inject_plan N: the plan's first N prefixes, one "a.b.c.d/len" per line, in index order.
inject_plan() {
  awk -v n="$1" 'BEGIN {
    k = 0
    for (len = 24; len >= 22 && k < n; len--) {
      step = 2 ^ (24 - len)
      for (s = 0; s <= (len == 24 ? 254 : 253) && k < n; s++) {
        if (s == 1) continue
        for (t = 0; t < 256 && k < n; t += step) { printf "10.%d.%d.0/%d\n", s, t, len; k++ }
      }
    }
  }'
}

# inject_probe N: an address (host .10) inside the last /24 of the first N prefixes of the plan.
inject_probe() {
  local n=$1 last
  ((n > 65024)) && n=65024
  last=$(inject_plan "$n" | tail -n 1)
  echo "${last%.0/24}.10"
}

# inject_mrt FILE N NEXTHOP AS PEER_ID: writes the plan's first N prefixes as an MRT TABLE_DUMP_V2
# file (RFC 6396 §4.3): one PEER_INDEX_TABLE (one peer: PEER_ID, AS 4 octets) and one
# RIB_IPV4_UNICAST record per prefix with one entry (ORIGIN IGP, an empty AS_PATH: GoBGP prepends its
# own AS toward its eBGP peer, NEXT_HOP NEXTHOP). The plan's first 4096 prefixes follow again as a tail:
# `gobgp mrt inject` (3.10) sometimes closes its gRPC stream before the server took the last batch (seen:
# 4 to 630 of 100,000 routes missing); losing repeats of routes already loaded changes nothing.
inject_mrt() {
  { inject_plan "$2"; inject_plan "$(($2 < 4096 ? $2 : 4096))"; } | python3 -c '
import socket, struct, sys, time
out, nh, asn, peer = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
now = int(time.time())
TABLE_DUMP_V2, PEER_INDEX_TABLE, RIB_IPV4_UNICAST = 13, 1, 2

def record(subtype, body):
    # RFC 6396 §2: timestamp, type, subtype, length (of the body)
    return struct.pack("!IHHI", now, TABLE_DUMP_V2, subtype, len(body)) + body

# RFC 6396 §4.3.1: collector BGP ID, view name length 0, peer count, peer entries
# (peer type 0x02: IPv4 address, 4-octet AS)
pit = socket.inet_aton(peer) + struct.pack("!HH", 0, 1) + bytes([2]) + socket.inet_aton(peer) \
    + socket.inet_aton(peer) + struct.pack("!I", asn)
# RFC 4271 §4.3 attributes, well-known transitive (flags 0x40): ORIGIN IGP, AS_PATH empty, NEXT_HOP
attrs = bytes([0x40, 1, 1, 0]) + bytes([0x40, 2, 0]) + bytes([0x40, 3, 4]) + socket.inet_aton(nh)
with open(out, "wb") as f:
    f.write(record(PEER_INDEX_TABLE, pit))
    for seq, line in enumerate(sys.stdin):
        addr, plen = line.strip().split("/")
        plen = int(plen)
        pfx = socket.inet_aton(addr)[: (plen + 7) // 8]
        # RFC 6396 §4.3.2: sequence, prefix length, prefix, entry count; §4.3.4 entry: peer index,
        # originated time, attribute length, attributes
        body = struct.pack("!IB", seq, plen) + pfx + struct.pack("!H", 1) \
            + struct.pack("!HIH", 0, now, len(attrs)) + attrs
        f.write(record(RIB_IPV4_UNICAST, body))
' "$1" "$3" "$4" "$5"
}

# gobgp_rib_count NS: prefixes in GoBGP's global IPv4 RIB (0 when it does not answer).
gobgp_rib_count() {
  ip netns exec "$1" timeout 10 gobgp global rib summary -a ipv4 2>/dev/null |
    awk '/Destination:/ { v = $2; gsub(/,/, "", v); print v + 0; f = 1; exit } END { if (!f) print 0 }'
}

# gobgp_inject_mrt NS FILE N: loads FILE into GoBGP's global RIB (gRPC on 127.0.0.1:50051 in NS) until
# it holds N prefixes: up to 3 loads of the file (a load again only adds what is missing), each
# followed by up to 5 s of polling.
gobgp_inject_mrt() {
  local ns=$1 file=$2 n=$3 try i
  for ((try = 0; try < 3; try++)); do
    ip netns exec "$ns" timeout 120 gobgp mrt inject global "$file" >/dev/null 2>&1 || return 1
    for ((i = 0; i < 10; i++)); do
      [[ $(gobgp_rib_count "$ns") -ge $n ]] && return 0
      sleep 0.5
    done
    lab_log "GoBGP holds $(gobgp_rib_count "$ns") of $n prefixes after loading $file: loading it again"
  done
  return 1
}
