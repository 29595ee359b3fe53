# tools/lab/lib/topo.sh: the lab topology (namespaces, veth links, addresses, routes, NAT).
#
#   lanhost ----- branch ------------ wan (router) ------------ gw ---------- vnethost
#   192.168.10.10  .1 | 198.18.0.2  198.18.0.1 | 198.18.1.1   198.18.1.10 | 10.1.0.1    10.1.0.10
#   (veth for the strongSwan branch, a TAP opened by VpnSim for the appliance)
#
# Second gateway (stage 2, active-active): gw2 198.18.1.11 with its VNet side 10.1.0.2 on the same
# VNet bridge is created by topo_add_gw2. Addresses: 198.18.0.0/15 for the WAN,
# 169.254.0.0/16 inside tunnels, private ranges only inside the lab's own namespaces.

# Namespace names (set by topo_build).
NS_LAN="" NS_BR="" NS_WAN="" NS_GW="" NS_VNET="" NS_GW2=""

BR_WAN_IP=198.18.0.2 WAN_BR_IP=198.18.0.1 WAN_GW_IP=198.18.1.1 GW_IP=198.18.1.10 GW2_IP=198.18.1.11
LAN_NET=192.168.10.0/24 LAN_GW_IP=192.168.10.1 LAN_HOST_IP=192.168.10.10
VNET_NET=10.1.0.0/24 VNET_GW_IP=10.1.0.1 VNET_GW2_IP=10.1.0.2 VNET_HOST_IP=10.1.0.10
# Devices inside the namespaces (names are per namespace, so they need no run prefix).
DEV_BR_WAN=wan0 DEV_WAN_BR=br0 DEV_WAN_GW=gw0 DEV_WAN_GW2=gw1 DEV_GW_WAN=wan0 DEV_GW_VNET=vnet0
DEV_VNET=eth0 DEV_LAN=eth0 DEV_BR_LAN=lan0 DEV_LAN_TAP=tap0

# veth NS_A DEV_A NS_B DEV_B: a veth pair created directly inside the two namespaces.
topo_veth() {
  ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" || lab_die "veth $1:$2 <-> $3:$4"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

# topo_build [--nat]: creates the namespaces and links (the branch's LAN side is attached by the
# branch implementation: lan_attach_veth or lan_attach_tap).
topo_build() {
  local nat=0
  [[ "${1:-}" == "--nat" ]] && nat=1
  lab_ns lanhost; NS_LAN=$LAB_LAST_NS
  lab_ns branch; NS_BR=$LAB_LAST_NS
  lab_ns wan; NS_WAN=$LAB_LAST_NS
  lab_ns gw; NS_GW=$LAB_LAST_NS
  lab_ns vnethost; NS_VNET=$LAB_LAST_NS

  topo_veth "$NS_BR" $DEV_BR_WAN "$NS_WAN" $DEV_WAN_BR
  topo_veth "$NS_WAN" $DEV_WAN_GW "$NS_GW" $DEV_GW_WAN
  # The VNet is a bridge in the VNet host namespace, so that a second gateway can join it.
  ip -n "$NS_VNET" link add vnet type bridge || lab_die "bridge in $NS_VNET"
  ip -n "$NS_VNET" link set vnet up
  topo_veth "$NS_GW" $DEV_GW_VNET "$NS_VNET" $DEV_VNET
  ip -n "$NS_VNET" link set $DEV_VNET master vnet

  ip -n "$NS_BR" addr add $BR_WAN_IP/24 dev $DEV_BR_WAN
  ip -n "$NS_BR" route add default via $WAN_BR_IP
  ip -n "$NS_WAN" addr add $WAN_BR_IP/24 dev $DEV_WAN_BR
  ip -n "$NS_WAN" addr add $WAN_GW_IP/24 dev $DEV_WAN_GW
  ip -n "$NS_GW" addr add $GW_IP/24 dev $DEV_GW_WAN
  ip -n "$NS_GW" route add default via $WAN_GW_IP
  ip -n "$NS_GW" addr add $VNET_GW_IP/24 dev $DEV_GW_VNET
  ip -n "$NS_VNET" addr add $VNET_HOST_IP/24 dev vnet
  ip -n "$NS_VNET" route add default via $VNET_GW_IP
  local ns
  for ns in "$NS_BR" "$NS_WAN" "$NS_GW"; do
    ip netns exec "$ns" sysctl -q -w net.ipv4.ip_forward=1 >/dev/null
  done
  if [[ $nat -eq 1 ]]; then topo_nat_on; fi
}

# topo_nat_on: the WAN router masquerades the branch (source NAT to 198.18.1.1), as a home or
# carrier NAT would; IKE then detects NAT (RFC 7296 §2.23) and both sides float to UDP 4500.
topo_nat_on() {
  ip netns exec "$NS_WAN" nft -f - <<EOF || lab_die "nftables masquerade"
table ip lab_nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "$DEV_WAN_GW" ip saddr 198.18.0.0/24 masquerade
  }
}
EOF
}

# lan_attach_veth: the LAN host is linked to the branch namespace by a veth (strongSwan branch).
lan_attach_veth() {
  lan_detach
  topo_veth "$NS_LAN" $DEV_LAN "$NS_BR" $DEV_BR_LAN
  ip -n "$NS_BR" addr add $LAN_GW_IP/24 dev $DEV_BR_LAN
  ip -n "$NS_LAN" addr add $LAN_HOST_IP/24 dev $DEV_LAN
  ip -n "$NS_LAN" route add default via $LAN_GW_IP
}

# lan_attach_tap: a persistent TAP in the LAN host namespace, configured before the appliance
# (VpnSim --lan tap:tap0@<lanhost ns>) attaches to it; the appliance is 192.168.10.1 on that wire.
lan_attach_tap() {
  lan_detach
  ip -n "$NS_LAN" tuntap add dev $DEV_LAN_TAP mode tap || lab_die "tuntap in $NS_LAN"
  ip -n "$NS_LAN" link set $DEV_LAN_TAP up
  ip -n "$NS_LAN" addr add $LAN_HOST_IP/24 dev $DEV_LAN_TAP
  ip -n "$NS_LAN" route add default via $LAN_GW_IP
}

# lan_detach: removes whichever LAN link exists (the veth goes away with its peer).
lan_detach() {
  ip -n "$NS_LAN" link del $DEV_LAN 2>/dev/null || true
  ip -n "$NS_LAN" link del $DEV_LAN_TAP 2>/dev/null || true
  ip -n "$NS_BR" link del $DEV_BR_LAN 2>/dev/null || true
}

# topo_add_gw2: a second gateway namespace (active-active), 198.18.1.11 on the WAN router's second
# port, and its VNet side 10.1.0.2 on the VNet bridge.
topo_add_gw2() {
  lab_ns gw2; NS_GW2=$LAB_LAST_NS
  topo_veth "$NS_WAN" $DEV_WAN_GW2 "$NS_GW2" $DEV_GW_WAN
  ip -n "$NS_WAN" addr add 198.18.2.1/24 dev $DEV_WAN_GW2
  ip -n "$NS_GW2" addr add $GW2_IP/24 dev $DEV_GW_WAN
  # 198.18.1.11 is on a separate link: the router reaches it by a host route on that port.
  ip -n "$NS_WAN" route add $GW2_IP/32 dev $DEV_WAN_GW2
  ip -n "$NS_GW2" route add 198.18.2.1/32 dev $DEV_GW_WAN
  ip -n "$NS_GW2" route add default via 198.18.2.1
  topo_veth "$NS_GW2" $DEV_GW_VNET "$NS_VNET" eth1
  ip -n "$NS_VNET" link set eth1 master vnet
  ip -n "$NS_GW2" addr add $VNET_GW2_IP/24 dev $DEV_GW_VNET
  ip netns exec "$NS_GW2" sysctl -q -w net.ipv4.ip_forward=1 >/dev/null
}

# capture_start NAME: tcpdump on the WAN router's branch-side port (what an observer on the
# Internet side of the branch sees); sets CAP_PID and CAP_FILE.
capture_start() {
  CAP_FILE="$LAB_RUN/$1.pcap"
  lab_bg "tcpdump-$1" "$LAB_RUN/$1.tcpdump.log" ip netns exec "$NS_WAN" tcpdump -i $DEV_WAN_BR -U -n -s 0 -w "$CAP_FILE"
  CAP_PID=$LAB_LAST_PID
  lab_wait 5 test -s "$CAP_FILE" || lab_log "warning: capture $CAP_FILE did not start"
  sleep 0.2
}

capture_stop() {
  lab_stop "${CAP_PID:-}" INT
  CAP_PID=""
}

# pcap_count FILE FILTER: packets matching a tshark display filter.
pcap_count() { tshark -n -r "$1" -Y "$2" 2>/dev/null | wc -l; }

# ping_stats NS DEST COUNT INTERVAL [DEADLINE]: runs ping, prints "<transmitted> <received>".
ping_stats() {
  local ns=$1 dst=$2 count=$3 interval=$4 deadline out
  deadline=${5:-$(awk -v c="$count" -v i="$interval" 'BEGIN { printf "%d", c * i + 5 }')}
  # no -w: with it, -c would count replies and ping would send more than COUNT requests
  out=$(timeout "$deadline" ip netns exec "$ns" ping -n -q -c "$count" -i "$interval" -W 1 "$dst" 2>&1)
  echo "$out" | awk '/packets transmitted/ { print $1, $4 }'
}

# lan_ping_ok [COUNT]: true when COUNT pings (default 3) from the LAN host to the VNet host all arrive.
lan_ping_ok() {
  local n=${1:-3} s
  s=$(ping_stats "$NS_LAN" $VNET_HOST_IP "$n" 0.2 $((n + 3)))
  [[ -n "$s" && "${s% *}" == "$n" && "${s#* }" == "$n" ]]
}

# lan_ping_once: one ping, 1 s timeout (for polling).
lan_ping_once() { ip netns exec "$NS_LAN" ping -n -q -c 1 -W 1 $VNET_HOST_IP >/dev/null 2>&1; }

# topo_add_gw N (N = 3..9): gateway instance N for the multi-gateway scenarios (lib/bgp-multi.sh), built
# like gw2: namespace gwN, WAN 198.18.1.(9+N) behind the WAN router's port gw(N-1) (198.18.N.1/24,
# host route), VNet side 10.1.0.N on the VNet bridge (the VNet host's port eth(N-1)). Sets NS_GWN[N].
declare -A NS_GWN
topo_add_gw() {
  local n=$1 ns wdev="gw$(($1 - 1))" addr="198.18.1.$((9 + $1))"
  lab_ns "gw$n"; ns=$LAB_LAST_NS
  NS_GWN[$n]=$ns
  topo_veth "$NS_WAN" "$wdev" "$ns" $DEV_GW_WAN
  ip -n "$NS_WAN" addr add "198.18.$n.1/24" dev "$wdev"
  ip -n "$ns" addr add "$addr/24" dev $DEV_GW_WAN
  ip -n "$NS_WAN" route add "$addr/32" dev "$wdev"
  ip -n "$ns" route add "198.18.$n.1/32" dev $DEV_GW_WAN
  ip -n "$ns" route add default via "198.18.$n.1"
  topo_veth "$ns" $DEV_GW_VNET "$NS_VNET" "eth$((n - 1))"
  ip -n "$NS_VNET" link set "eth$((n - 1))" master vnet
  ip -n "$ns" addr add "10.1.0.$n/24" dev $DEV_GW_VNET
  ip netns exec "$ns" sysctl -q -w net.ipv4.ip_forward=1 >/dev/null
}
