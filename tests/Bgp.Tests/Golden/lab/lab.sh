#!/bin/bash
# BGP capture lab: BIRD 2 (ns bgpA) <-> GoBGP (ns bgpB) over a veth pair, captured with tshark.
# Needs root, bird2, gobgpd, tshark (Debian 12). Copy bird.conf and gobgpd.toml to /tmp/bgp-lab first.
set -x
D=/tmp/bgp-lab
ip netns add bgpA; ip netns add bgpB
ip link add vbgpA type veth peer name vbgpB
ip link set vbgpA netns bgpA; ip link set vbgpB netns bgpB
ip -n bgpA addr add 198.18.0.1/24 dev vbgpA; ip -n bgpA addr add 198.18.1.1/24 dev vbgpA
ip -n bgpB addr add 198.18.0.2/24 dev vbgpB; ip -n bgpB addr add 198.18.1.2/24 dev vbgpB
for n in bgpA bgpB; do ip -n $n link set lo up; done
ip -n bgpA link set vbgpA up; ip -n bgpB link set vbgpB up
ip netns exec bgpA tshark -q -i vbgpA -f "tcp port 179" -w $D/cap.pcap > $D/tshark.log 2>&1 &
echo $! > $D/tshark.pid
sleep 2
ip netns exec bgpB gobgpd -f $D/gobgpd.toml --api-hosts 127.0.0.1:50051 --pprof-disable > $D/gobgpd.log 2>&1 &
echo $! > $D/gobgpd.pid
ip netns exec bgpA bird -f -c $D/bird.conf -s $D/bird.ctl > $D/bird.out 2>&1 &
echo $! > $D/bird.pid
sleep 3
G="ip netns exec bgpB gobgp -u 127.0.0.1 -p 50051"
$G global rib add -a ipv4 10.2.0.0/24 community 65002:200,no-export med 50
$G global rib add -a ipv4 10.2.4.0/22 large-community 65002:3:4 med 0
$G global rib add -a ipv4 172.16.0.0/12 origin incomplete
sleep 8
$G neighbor
ip netns exec bgpA birdc -s $D/bird.ctl show protocols
ip netns exec bgpA birdc -s $D/bird.ctl show route all > $D/bird-routes.txt
$G global rib -a ipv4 > $D/gobgp-rib.txt
$G global rib del -a ipv4 10.2.4.0/22
ip netns exec bgpA birdc -s $D/bird.ctl disable s4
sleep 2
ip netns exec bgpA birdc -s $D/bird.ctl disable g1 \"maintenance\"
sleep 2
# Cleanup (run as part of the capture on 2026-11-22): stop what we started, by pid, and remove the namespaces.
for p in bird gobgpd tshark; do kill "$(cat $D/$p.pid)"; done
sleep 2
ip netns del bgpA; ip netns del bgpB
tshark -r $D/cap.pcap -Y bgp -T fields -e frame.number -e ip.src -e ip.dst -e tcp.payload > $D/payloads.txt
