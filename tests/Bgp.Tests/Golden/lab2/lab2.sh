#!/bin/bash
# Second capture: BIRD 2 <-> BIRD 2 (both with enhanced route refresh), to record ROUTE-REFRESH, BoRR and EoRR.
# Needs root, bird2, tshark. Copy birdA.conf and birdC.conf to /tmp/bgp-lab2 first.
set -x
D=/tmp/bgp-lab2
ip netns add bgpA2; ip netns add bgpC2
ip link add vbgpA2 type veth peer name vbgpC2
ip link set vbgpA2 netns bgpA2; ip link set vbgpC2 netns bgpC2
ip -n bgpA2 addr add 198.18.2.1/24 dev vbgpA2; ip -n bgpC2 addr add 198.18.2.2/24 dev vbgpC2
for n in bgpA2 bgpC2; do ip -n $n link set lo up; done
ip -n bgpA2 link set vbgpA2 up; ip -n bgpC2 link set vbgpC2 up
ip netns exec bgpA2 tshark -q -i vbgpA2 -f "tcp port 179" -w $D/cap2.pcap > $D/tshark.log 2>&1 &
echo $! > $D/tshark.pid
sleep 2
ip netns exec bgpA2 bird -f -c $D/birdA.conf -s $D/birdA.ctl > $D/birdA.out 2>&1 &
echo $! > $D/birdA.pid
ip netns exec bgpC2 bird -f -c $D/birdC.conf -s $D/birdC.ctl > $D/birdC.out 2>&1 &
echo $! > $D/birdC.pid
sleep 12
ip netns exec bgpC2 birdc -s $D/birdC.ctl show protocols
ip netns exec bgpC2 birdc -s $D/birdC.ctl reload in g3
sleep 5
ip netns exec bgpA2 birdc -s $D/birdA.ctl show route all > $D/birdA-routes.txt
# Cleanup: stop what we started, by pid, and remove the namespaces; then dump the BGP payloads.
for p in birdA birdC tshark; do kill "$(cat $D/$p.pid)"; done
sleep 2
ip netns del bgpA2; ip netns del bgpC2
tshark -r $D/cap2.pcap -Y bgp -T fields -e frame.number -e ip.src -e tcp.payload > $D/payloads2.txt
