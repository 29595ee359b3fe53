# tools/lab/lib/bgp-scenarios.sh: `interop bgp` (stage 2, prepares issue 7). The branch (plug-in)
# opens eBGP over its tunnel to the gateway's speaker (BIRD, or FRR with graceful restart off/on):
#   <speaker>/established         the session is Established within 30 s of the tunnel
#   <speaker>/routes              the gateway learned 192.168.10.0/24 from the branch, the branch
#                                 installed 10.1.0.0/24 (no static routes anywhere in this mode)
#   <speaker>/ping                LAN host -> VNet host over the BGP-learned routes
#   <speaker>/route-refresh       (appliance) the gateway asks for our routes again (ROUTE-REFRESH, RFC 2918)
#                                 and the appliance answers; `clear bgp <gw> soft` sends one the other way
#   <speaker>/withdraw            (appliance) the gateway withdraws the VNet: the branch's route goes (the ping
#                                 fails), it announces it again: the route and the ping come back
#   <speaker>/gateway-restart     charon and the speaker on the gateway killed and restarted: the
#                                 tunnel and the session come back, the ping goes through again
# Results use ipsec_result (lib/ipsec.sh), so the summary counts the same way.

BGP_SPEAKERS=(bird frr-gr-off frr-gr-on)

# gw_bgp_start SPEAKER: the gateway's BGP speaker (inside address on ipsec0 first).
gw_bgp_start() {
  local sp=$1 dir="$LAB_RUN/gw-$1"
  mkdir -p "$dir"
  bgp_inside_addr "$NS_GW" $BGP_GW_INSIDE || return 1
  case $sp in
    bird)
      bird_conf "$dir/bird.conf" $GW_IP $BGP_GW_AS $BGP_GW_INSIDE $BGP_BR_AS $BGP_BR_INSIDE $DEV_GW_VNET \
        "[ 192.168.0.0/16{16,24} ]" on "$dir/bird.log"
      bird_start gw "$NS_GW" "$dir/bird.conf"
      ;;
    frr-gr-off | frr-gr-on)
      frr_conf_gw "$dir" "${sp##*-}"
      frr_start gw "$NS_GW" "$dir"
      ;;
  esac
}

gw_bgp_stop() {
  case $1 in
    bird) bird_stop gw ;;
    frr-*) frr_stop gw ;;
  esac
}

gw_bgp_established() {
  case $1 in
    bird) bird_established gw ;;
    frr-*) frr_established gw ;;
  esac
}

gw_bgp_has_branch_route() {
  case $1 in
    bird) bird_has_route gw $LAN_NET ;;
    frr-*) frr_has_route gw $LAN_NET ;;
  esac
}

gw_bgp_log() {
  case $1 in
    bird) echo "$LAB_RUN/gw-$1/bird.log" ;;
    frr-*) echo "$LAB_RUN/gw-$1/bgpd.log" ;;
  esac
}

# branch_has_vnet_route: the branch forwards 10.1.0.0/24 by a BGP route (strongSwan branch: BIRD's
# kernel route; the appliance: the ping scenario proves it).
branch_has_vnet_route() {
  if [[ $BRANCH_IMPL == strongswan ]]; then
    ip -n "$NS_BR" route show $VNET_NET | grep -q "proto bird"
  else
    return 0
  fi
}

bgp_up() { gw_bgp_established "$1"; }

# bgp_group SPEAKER PROFILE
bgp_group() {
  local sp=$1 profile=$2 ike esp name t0 t1 up=1
  ike=$(profile_ike "$profile") esp=$(profile_esp "$profile")
  local any=0 s
  for s in established routes ping route-refresh withdraw gateway-restart; do ipsec_selected "$sp/$s" && any=1; done
  [[ $any -eq 1 ]] || return 0
  lab_log "bgp group $sp: $(branch_name) as initiator, IKE $ike, ESP $esp"
  CAP_FILE=""
  if ! gw_start_for initiator "$LAB_PSK" "$ike" "$esp" || ! gw_bgp_start "$sp"; then
    for s in established routes ping route-refresh withdraw gateway-restart; do ipsec_selected "$sp/$s" && ipsec_result "$sp/$s" 1 "the gateway or its BGP speaker did not start"; done
    gw_bgp_stop "$sp"; sw_stop gw
    return
  fi
  branch_bgp_prepare
  if branch_start initiator "$LAB_PSK" "$ike" "$esp" && lab_wait 20 tunnel_up; then
    t0=$(lab_ms)
    branch_bgp_start
    lab_wait 30 bgp_up "$sp" && up=0
    t1=$(lab_ms)
  else
    t0=0 t1=0
  fi

  name="$sp/established"
  if ipsec_selected "$name"; then
    if [[ $up -eq 0 ]]; then
      ipsec_result "$name" 0 "Established $((t1 - t0)) ms after the tunnel"
    else
      ipsec_result "$name" 1 "no Established session within 30 s (tunnel: $(tunnel_up && echo up || echo down)); gateway log $(gw_bgp_log "$sp"), branch $(branch_bgp_log)"
    fi
  fi
  name="$sp/routes"
  if ipsec_selected "$name"; then
    if [[ $up -eq 0 ]] && lab_wait 10 gw_bgp_has_branch_route "$sp" && lab_wait 10 branch_has_vnet_route; then
      ipsec_result "$name" 0 "gateway learned $LAN_NET$([[ $BRANCH_IMPL == strongswan ]] && echo ", branch installed $VNET_NET")"
    else
      local brr="n/a (the ping scenario proves it)"
      [[ $BRANCH_IMPL == strongswan ]] && brr=$(branch_has_vnet_route && echo yes || echo no)
      ipsec_result "$name" 1 "gateway has $LAN_NET: $(gw_bgp_has_branch_route "$sp" && echo yes || echo no), branch has $VNET_NET by BGP: $brr"
    fi
  fi
  name="$sp/ping"
  if ipsec_selected "$name"; then
    lab_wait 10 lan_ping_once || true
    if [[ $up -eq 0 ]] && lan_ping_ok 5; then
      ipsec_result "$name" 0 "5/5 over BGP routes"
    else
      ipsec_result "$name" 1 "ping LAN host -> VNet host failed over BGP routes"
    fi
  fi
  bgp_refresh_scenario "$sp" $up
  bgp_withdraw_scenario "$sp" $up
  name="$sp/gateway-restart"
  if ipsec_selected "$name"; then
    if [[ $up -ne 0 ]]; then
      ipsec_result "$name" 1 "no session before the restart"
    else
      gw_bgp_stop "$sp"
      sw_kill gw
      sleep 1
      t0=$(lab_ms)
      if gw_start_for initiator "$LAB_PSK" "$ike" "$esp" && gw_bgp_start "$sp" &&
        lab_wait 60 bgp_restart_recovered "$sp"; then
        t1=$(lab_ms)
        ipsec_result "$name" 0 "tunnel, session and ping back $((t1 - t0)) ms after the restart"
      else
        ipsec_result "$name" 1 "not back within 60 s (tunnel: $(tunnel_up && echo up || echo down), session: $(gw_bgp_established "$sp" && echo up || echo down))"
      fi
    fi
  fi
  branch_bgp_stop
  branch_stop
  gw_bgp_stop "$sp"
  sw_stop gw
}

# bgp_restart_recovered SPEAKER: after a gateway restart the CHILD SA is back (ipsec0 is new: its
# inside address again), the session is Established and a ping goes through.
bgp_restart_recovered() {
  sw_child_installed gw || return 1
  ip -n "$NS_GW" addr show dev ipsec0 | grep -q "$BGP_GW_INSIDE" || bgp_inside_addr "$NS_GW" $BGP_GW_INSIDE
  gw_bgp_established "$1" && lan_ping_once
}

# appliance_rr_count COLUMN: the appliance's Route Refresh counter (3 sent, 4 received) from a fresh
# `show bgp neighbors <gateway>` on its console.
appliance_rr_count() {
  local log mark
  log=$(branch_log)
  mark=$(lab_size "$log")
  appliance_console "show bgp neighbors $BGP_GW_INSIDE"
  sleep 0.5
  tail -c +$((mark + 1)) "$log" | tr -d '\r' | awk -v c="$1" '/Route Refresh:/ { print $c; exit }'
}

# gw_route_refresh SPEAKER: the gateway asks the branch for its routes again.
gw_route_refresh() {
  case $1 in
    bird) bird_ctl gw reload in peer >/dev/null 2>&1 ;;
    frr-*) frr_ctl gw "clear bgp ipv4 unicast $BGP_BR_INSIDE soft in" >/dev/null 2>&1 ;;
  esac
}

# gw_announce SPEAKER on|off: the gateway announces or withdraws the VNet prefix.
gw_announce() {
  case $1 in
    bird) bird_ctl gw "$([[ $2 == on ]] && echo enable || echo disable)" announced >/dev/null 2>&1 ;;
    frr-*) timeout 10 vtysh -N "${LAB_ID}-gw" -c "configure terminal" -c "router bgp $BGP_GW_AS" \
      -c "address-family ipv4 unicast" -c "$([[ $2 == on ]] && echo "network $VNET_NET" || echo "no network $VNET_NET")" >/dev/null 2>&1 ;;
  esac
}

bgp_refresh_scenario() {
  local sp=$1 up=$2 name="$1/route-refresh" r0 r1 s0 s1
  [[ $BRANCH_IMPL == appliance ]] && ipsec_selected "$name" || return 0
  if [[ $up -ne 0 ]]; then ipsec_result "$name" 1 "no session"; return; fi
  r0=$(appliance_rr_count 4); s0=$(appliance_rr_count 3)
  gw_route_refresh "$sp"
  appliance_console "clear bgp $BGP_GW_INSIDE soft"
  sleep 2
  r1=$(appliance_rr_count 4); s1=$(appliance_rr_count 3)
  if [[ -n "$r0" && -n "$r1" && $r1 -gt $r0 && $s1 -gt $s0 ]] && gw_bgp_established "$sp" &&
    lab_wait 10 gw_bgp_has_branch_route "$sp" && lab_wait 10 lan_ping_once; then
    ipsec_result "$name" 0 "ROUTE-REFRESH received ${r0:-?}->${r1:-?}, sent ${s0:-?}->${s1:-?}; session, routes and ping unchanged"
  else
    ipsec_result "$name" 1 "refresh received ${r0:-?}->${r1:-?}, sent ${s0:-?}->${s1:-?}, session $(gw_bgp_established "$sp" && echo up || echo down), gateway has $LAN_NET: $(gw_bgp_has_branch_route "$sp" && echo yes || echo no), ping: $(lan_ping_once && echo ok || echo failed)"
  fi
}

bgp_withdraw_scenario() {
  local sp=$1 up=$2 name="$1/withdraw" gone=1 back=1
  [[ $BRANCH_IMPL == appliance ]] && ipsec_selected "$name" || return 0
  if [[ $up -ne 0 ]]; then ipsec_result "$name" 1 "no session"; return; fi
  gw_announce "$sp" off
  lab_wait 10 bash -c "! ip netns exec $NS_LAN ping -c 1 -W 1 $VNET_HOST_IP >/dev/null 2>&1" && gone=0
  gw_announce "$sp" on
  lab_wait 15 lan_ping_once && back=0
  if [[ $gone -eq 0 && $back -eq 0 ]]; then
    ipsec_result "$name" 0 "withdrawn: VNet unreachable; announced again: ping back"
  else
    ipsec_result "$name" 1 "after the withdraw the VNet was $([[ $gone -eq 0 ]] && echo unreachable || echo 'still reachable'), after the announce $([[ $back -eq 0 ]] && echo reachable || echo unreachable)"
  fi
}
