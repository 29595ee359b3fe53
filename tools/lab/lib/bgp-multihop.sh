# tools/lab/lib/bgp-multihop.sh: `interop bgp` eBGP multihop (issue 7: "eBGP multihop / TTL"). Azure's
# non-APIPA case (INTEROP.md): the gateway's BGP address lies in its GatewaySubnet, not on the tunnel, so
# the session is eBGP multihop with a /32 host route through the tunnel on each side:
#   gateway:   BGP address MH_GW_BGP/32 on lo, route LAN_GW_IP/32 dev ipsec0; BIRD `multihop 2` (its
#              master table resolves the next hop through a static route on ipsec0) or FRR
#              `ebgp-multihop 2` + update-source; passive
#   appliance: neighbour MH_GW_BGP ebgp-multihop 2, tunnel vti0, update-source LAN_GW_IP (its LAN address:
#              Azure's "BGP peer IP" of the local network gateway), static route MH_GW_BGP/32 -> vti0
# Scenarios (appliance branch only; the strongSwan branch's BIRD would need the same host routes):
#   multihop-<speaker>/established  Established within 30 s of the tunnel
#   multihop-<speaker>/ttl          the gateway's capture on ipsec0: the appliance's BGP segments carry IP
#                                   TTL 2 (the ebgp-multihop value; a direct eBGP session sends 1)
#   multihop-<speaker>/ping         routes both ways (next hops resolved through the host routes) and
#                                   LAN host -> VNet host over them

MH_GW_BGP=10.255.254.1
MH_SPEAKERS=(bird frr)

# mh_appliance_conf FILE ROLE PSK IKE ESP (APP_CONF_GEN): the lab's appliance_conf without its APIPA
# neighbour, plus the multihop neighbour.
mh_appliance_conf() {
  APP_BGP=0 LAB_STATIC_ROUTES=0 appliance_conf "$@"
  {
    echo "set protocols static route $MH_GW_BGP/32 next-hop tunnel vti0"
    app_conf_bgp
    app_conf_neighbor $MH_GW_BGP vti0
    echo "set protocols bgp neighbor $MH_GW_BGP update-source $LAN_GW_IP"
    echo "set protocols bgp neighbor $MH_GW_BGP ebgp-multihop 2"
  } >>"$1"
}

# mh_gw_routes: the gateway's BGP address and its host route to the branch's (again after a charon start).
mh_gw_routes() {
  ip -n "$NS_GW" addr replace $MH_GW_BGP/32 dev lo &&
    ip -n "$NS_GW" link set ipsec0 up &&
    ip -n "$NS_GW" route replace $LAN_GW_IP/32 dev ipsec0
}

# mh_gw_start SPEAKER: BIRD or FRR on the gateway, multihop towards the branch's LAN address.
mh_gw_start() {
  local sp=$1 dir="$LAB_RUN/gw-mh-$1"
  mkdir -p "$dir"
  mh_gw_routes || return 1
  case $sp in
    bird)
      BIRD_BGP_EXTRA="multihop 2;" bird_conf "$dir/bird.conf" $GW_IP $BGP_GW_AS $MH_GW_BGP $BGP_BR_AS $LAN_GW_IP \
        $DEV_GW_VNET "[ 192.168.0.0/16{16,24} ]" on "$dir/bird.log" \
        "protocol static branch_host { ipv4; route $LAN_GW_IP/32 via \"ipsec0\"; }"
      bird_start gw "$NS_GW" "$dir/bird.conf"
      ;;
    frr)
      frr_conf_gw "$dir" off gw $GW_IP $LAN_GW_IP "ebgp-multihop 2" "update-source $MH_GW_BGP"
      frr_start gw "$NS_GW" "$dir"
      ;;
  esac
}

mh_gw_stop() { case $1 in bird) bird_stop gw ;; frr) frr_stop gw ;; esac; }

mh_established() {
  case $1 in
    bird) bird_established gw ;;
    frr) frr_ctl gw "show bgp neighbor $LAN_GW_IP" 2>/dev/null | grep -q 'BGP state = Established' ;;
  esac
}

mh_gw_has_branch_route() {
  case $1 in
    bird) bird_has_route gw $LAN_NET ;;
    frr) frr_ctl gw "show bgp ipv4 unicast $LAN_NET" 2>/dev/null | grep -q "$LAN_GW_IP" ;;
  esac
}

# mh_ttls PCAP: the distinct IP TTLs of the appliance's BGP segments in the capture (e.g. "2").
mh_ttls() {
  tshark -n -r "$1" -Y "ip.src == $LAN_GW_IP && tcp.port == 179" -T fields -e ip.ttl 2>/dev/null | sort -u | tr '\n' ' '
}

# bgp_multihop_group SPEAKER PROFILE
bgp_multihop_group() {
  local sp=$1 profile=$2 ike esp up=1 t0 t1 cap dir s capture_pid ttls
  local names=(established ttl ping)
  [[ $BRANCH_IMPL == appliance ]] || return 0
  local any=0
  for s in "${names[@]}"; do ipsec_selected "multihop-$sp/$s" && any=1; done
  [[ $any -eq 1 ]] || return 0
  ike=$(profile_ike "$profile") esp=$(profile_esp "$profile")
  lab_log "bgp multihop group $sp: gateway BGP address $MH_GW_BGP (lo), branch $LAN_GW_IP, ebgp-multihop 2"
  CAP_FILE=""
  if ! gw_start_for initiator "$LAB_PSK" "$ike" "$esp" || ! mh_gw_start "$sp"; then
    for s in "${names[@]}"; do ipsec_selected "multihop-$sp/$s" && ipsec_result "multihop-$sp/$s" 1 "the gateway or its BGP speaker did not start"; done
    mh_gw_stop "$sp"; sw_stop gw
    return
  fi
  dir="$LAB_RUN/gw-mh-$sp"
  cap="$dir/ipsec0-bgp.pcap"
  lab_bg "tcpdump-mh-$sp" "$dir/tcpdump.log" ip netns exec "$NS_GW" tcpdump -i ipsec0 -nn -U -w "$cap" "tcp port 179"
  capture_pid=$LAB_LAST_PID
  APP_CONF_GEN=mh_appliance_conf
  if branch_start initiator "$LAB_PSK" "$ike" "$esp" && lab_wait 20 tunnel_up; then
    mh_gw_routes
    t0=$(lab_ms)
    lab_wait 30 mh_established "$sp" && up=0
    t1=$(lab_ms)
  fi
  APP_CONF_GEN=""

  if ipsec_selected "multihop-$sp/established"; then
    if [[ $up -eq 0 ]]; then
      ipsec_result "multihop-$sp/established" 0 "Established $((t1 - t0)) ms after the tunnel ($LAN_GW_IP <-> $MH_GW_BGP, 2 hops allowed)"
    else
      ipsec_result "multihop-$sp/established" 1 "no Established session within 30 s (tunnel: $(tunnel_up && echo up || echo down)); gateway log $dir, branch $(branch_log)"
    fi
  fi
  if ipsec_selected "multihop-$sp/ping"; then
    lab_wait 10 lan_ping_once || true
    if [[ $up -eq 0 ]] && lab_wait 10 mh_gw_has_branch_route "$sp" && lan_ping_ok 5; then
      ipsec_result "multihop-$sp/ping" 0 "gateway learned $LAN_NET (next hop $LAN_GW_IP), 5/5 pings over the BGP routes"
    else
      ipsec_result "multihop-$sp/ping" 1 "gateway has $LAN_NET: $(mh_gw_has_branch_route "$sp" && echo yes || echo no), ping: $(lan_ping_once && echo ok || echo failed)"
    fi
  fi
  sleep 0.5
  lab_stop "$capture_pid" INT
  if ipsec_selected "multihop-$sp/ttl"; then
    ttls=$(mh_ttls "$cap")
    if [[ $up -eq 0 && "${ttls% }" == "2" ]]; then
      ipsec_result "multihop-$sp/ttl" 0 "every BGP segment from the appliance on the gateway's ipsec0 had IP TTL 2"
    else
      ipsec_result "multihop-$sp/ttl" 1 "IP TTLs of the appliance's BGP segments: '${ttls:-none}' (expected 2), capture $cap"
    fi
  fi
  branch_stop
  mh_gw_stop "$sp"
  sw_stop gw
}
