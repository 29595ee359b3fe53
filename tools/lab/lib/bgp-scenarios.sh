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
# With the appliance, a second group per speaker (bgp_peer_group, below): <speaker>/peer-opens,
# <speaker>/max-prefix, bird/max-prefix-warning. Several gateway instances: lib/bgp-multi.sh.
# Results use ipsec_result (lib/ipsec.sh), so the summary counts the same way.

BGP_SPEAKERS=(bird frr-gr-off frr-gr-on)

# GW_BGP_PASSIVE: on (default, Azure with APIPA: the branch opens) or off (peer-opens group: the
# gateway connects out; BIRD `passive off`, FRR without `neighbor .. passive`).
# GW_EXTRA_PREFIXES: N > 0 gives BIRD a disabled static protocol "injector" with N /24s from
# 10.2.0.0/24 (bird_conf exports proto "injector"), released by gw_extra SPEAKER on; FRR gets them
# as `network` statements at run time (gw_extra).
GW_BGP_PASSIVE=on GW_EXTRA_PREFIXES=0

# gw_extra_prefix I: the I-th extra /24 the gateway can announce (max-prefix scenarios).
gw_extra_prefix() { echo "10.2.$1.0/24"; }

# gw_bgp_start SPEAKER: the gateway's BGP speaker (inside address on ipsec0 first).
gw_bgp_start() {
  local sp=$1 dir="$LAB_RUN/gw-$1" extra="" i
  mkdir -p "$dir"
  bgp_inside_addr "$NS_GW" $BGP_GW_INSIDE || return 1
  case $sp in
    bird)
      if [[ $GW_EXTRA_PREFIXES -gt 0 ]]; then
        extra="protocol static injector { ipv4; disabled;"
        for ((i = 0; i < GW_EXTRA_PREFIXES; i++)); do extra+=$'\n'"  route $(gw_extra_prefix $i) via $VNET_HOST_IP;"; done
        extra+=$'\n}'
      fi
      bird_conf "$dir/bird.conf" $GW_IP $BGP_GW_AS $BGP_GW_INSIDE $BGP_BR_AS $BGP_BR_INSIDE $DEV_GW_VNET \
        "[ 192.168.0.0/16{16,24} ]" "$GW_BGP_PASSIVE" "$dir/bird.log" "$extra"
      bird_start gw "$NS_GW" "$dir/bird.conf"
      ;;
    frr-gr-off | frr-gr-on)
      frr_conf_gw "$dir" "${sp##*-}"
      # the gateway connects out: frr_conf_gw's `neighbor .. passive` line goes
      [[ $GW_BGP_PASSIVE == off ]] && sed -i '/^ neighbor [0-9.]* passive$/d' "$dir/bgpd.conf"
      frr_start gw "$NS_GW" "$dir"
      ;;
  esac
}

# gw_extra SPEAKER on|off: the gateway announces (or withdraws) the GW_EXTRA_PREFIXES extra /24s.
gw_extra() {
  local sp=$1 i args=()
  case $sp in
    bird) bird_ctl gw "$([[ $2 == on ]] && echo enable || echo disable)" injector >/dev/null 2>&1 ;;
    frr-*)
      args=(-c "configure terminal" -c "ip prefix-list VNET seq 20 permit 10.2.0.0/16 le 24"
        -c "router bgp $BGP_GW_AS" -c "no bgp network import-check" -c "address-family ipv4 unicast")
      for ((i = 0; i < GW_EXTRA_PREFIXES; i++)); do
        args+=(-c "$([[ $2 == on ]] || echo "no ")network $(gw_extra_prefix $i)")
      done
      timeout 10 vtysh -N "${LAB_ID}-gw" "${args[@]}" >/dev/null 2>&1
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
  appliance_show "show bgp neighbors $BGP_GW_INSIDE" 0.5 | awk -v c="$1" '/Route Refresh:/ { print $c; exit }'
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

# ---- The peer opens; maximum-prefix (issue 7) ----
# One more group per speaker, everything fresh: the gateway's speaker is active (GW_BGP_PASSIVE=off)
# and the appliance's neighbour has `connect-mode passive` (it never opens), `maximum-prefix
# BGP_MAXPFX` with `maximum-prefix-action restart` and `maximum-prefix-restart BGP_MAXPFX_RESTART`:
#   <speaker>/peer-opens          Established, and it is the gateway's TCP connection (the gateway's
#                                 socket goes to the appliance's port 179; the appliance says connect
#                                 mode passive); routes exchanged and 5/5 pings
#   <speaker>/max-prefix          the gateway announces BGP_MAXPFX_EXTRA more /24s (1 + extra > max): the
#                                 appliance sends NOTIFICATION Cease / Maximum Number of Prefixes Reached
#                                 (RFC 4486 §4, subcode 1; the gateway's log or show names it), the VNet
#                                 route goes (ping fails); the gateway withdraws them again and after the
#                                 restart time (not before) the session is back with <= max prefixes, ping ok
#   <speaker>/max-prefix-warning  (bird only) the appliance restarted with `maximum-prefix-action warning`:
#                                 the same announcement keeps the session up, all prefixes accepted, a
#                                 warning in the appliance's log
BGP_MAXPFX=5 BGP_MAXPFX_EXTRA=10 BGP_MAXPFX_RESTART=8
BGP_PEER_SCENARIOS=(peer-opens max-prefix max-prefix-warning)

# bgp_peer_scenarios SPEAKER: the scenario names of the group for SPEAKER.
bgp_peer_scenarios() {
  local s
  for s in "${BGP_PEER_SCENARIOS[@]}"; do
    [[ $s == max-prefix-warning && $1 != bird ]] && continue
    echo "$s"
  done
}

# gw_bgp_conn: who opened the Established BGP connection, seen from the gateway's sockets:
# "gateway" (its socket goes to the appliance's port 179), "branch" (its own port 179), "none".
gw_bgp_conn() {
  local out
  out=$(ip netns exec "$NS_GW" ss -Htn state established 2>/dev/null)
  if awk -v p="$BGP_BR_INSIDE:179" '$4 == p { f = 1 } END { exit !f }' <<<"$out"; then echo gateway
  elif awk -v p="$BGP_GW_INSIDE:179" -v r="$BGP_BR_INSIDE" '$3 == p && index($4, r ":") == 1 { f = 1 } END { exit !f }' <<<"$out"; then echo branch
  else echo none; fi
}

# gw_bgp_names_maxpfx SPEAKER LOG_MARK: the gateway's log (since LOG_MARK) or its neighbour view names
# Cease / Maximum Number of Prefixes Reached.
# Prints where: "log" or "show".
gw_bgp_names_maxpfx() {
  local ere='[Mm]aximum [Nn]umber of [Pp]refixes'
  lab_grep_since "$(gw_bgp_log "$1")" "$2" "$ere" && { echo log; return 0; }
  case $1 in
    bird) bird_ctl gw show protocols all peer 2>/dev/null | grep -Eq "$ere" ;;
    frr-*) frr_ctl gw "show bgp neighbor $BGP_BR_INSIDE" 2>/dev/null | grep -Eq "$ere" ;;
  esac && echo show
}

gw_bgp_down() { ! gw_bgp_established "$1"; }

# bgp_peer_group SPEAKER PROFILE
bgp_peer_group() {
  local sp=$1 profile=$2 ike esp name s any=0 up=1 t0 t1 who mode
  ike=$(profile_ike "$profile") esp=$(profile_esp "$profile")
  BGP_IKE=$ike BGP_ESP=$esp
  [[ $BRANCH_IMPL == appliance ]] || return 0
  for s in $(bgp_peer_scenarios "$sp"); do ipsec_selected "$sp/$s" && any=1; done
  [[ $any -eq 1 ]] || return 0
  lab_log "bgp peer group $sp: the gateway opens; maximum-prefix $BGP_MAXPFX restart ${BGP_MAXPFX_RESTART}s"
  CAP_FILE=""
  GW_BGP_PASSIVE=off GW_EXTRA_PREFIXES=$BGP_MAXPFX_EXTRA
  if ! gw_start_for initiator "$LAB_PSK" "$ike" "$esp" || ! gw_bgp_start "$sp"; then
    for s in $(bgp_peer_scenarios "$sp"); do ipsec_selected "$sp/$s" && ipsec_result "$sp/$s" 1 "the gateway or its BGP speaker did not start"; done
    gw_bgp_stop "$sp"; sw_stop gw
    GW_BGP_PASSIVE=on GW_EXTRA_PREFIXES=0
    return
  fi
  branch_bgp_prepare
  APP_BGP_EXTRA=$(bgp_peer_app_extra restart)
  if branch_start initiator "$LAB_PSK" "$ike" "$esp" && lab_wait 20 tunnel_up; then
    t0=$(lab_ms)
    lab_wait 30 bgp_up "$sp" && up=0
    t1=$(lab_ms)
  fi

  name="$sp/peer-opens"
  if ipsec_selected "$name"; then
    who=$(gw_bgp_conn)
    mode=$(appliance_show "show bgp neighbors $BGP_GW_INSIDE" | awk -F'connect mode ' 'NF > 1 { split($2, a, ","); print a[1]; exit }')
    if [[ $up -eq 0 && $who == gateway && $mode == passive ]] && lab_wait 10 gw_bgp_has_branch_route "$sp" &&
      lab_wait 10 lan_ping_once && lan_ping_ok 5; then
      ipsec_result "$name" 0 "Established $((t1 - t0)) ms after the tunnel on the gateway's connection (its socket -> $BGP_BR_INSIDE:179), appliance connect mode $mode; gateway learned $LAN_NET, 5/5 pings"
    else
      ipsec_result "$name" 1 "session $([[ $up -eq 0 ]] && echo Established || echo 'not Established within 30 s'), connection opened by: $who, appliance connect mode: ${mode:-?}, gateway has $LAN_NET: $(gw_bgp_has_branch_route "$sp" && echo yes || echo no), ping: $(lan_ping_once && echo ok || echo failed); gateway log $(gw_bgp_log "$sp")"
    fi
  fi

  name="$sp/max-prefix"
  if ipsec_selected "$name"; then
    bgp_maxpfx_restart "$sp" $up
    ipsec_result "$name" $? "$R_REASON"
  fi

  name="$sp/max-prefix-warning"
  if [[ $sp == bird ]] && ipsec_selected "$name"; then
    bgp_maxpfx_warning "$sp"
    ipsec_result "$name" $? "$R_REASON"
  fi
  APP_BGP_EXTRA=""
  branch_stop
  gw_bgp_stop "$sp"
  sw_stop gw
  GW_BGP_PASSIVE=on GW_EXTRA_PREFIXES=0
}

# bgp_peer_app_extra restart|warning: the appliance neighbour's extra lines of the peer group.
bgp_peer_app_extra() {
  local nb="set protocols bgp neighbor $BGP_GW_INSIDE"
  printf '%s\n' "$nb connect-mode passive" "$nb maximum-prefix $BGP_MAXPFX" "$nb maximum-prefix-action $1"
  [[ $1 == restart ]] && printf '%s\n' "$nb maximum-prefix-restart $BGP_MAXPFX_RESTART"
}

# bgp_maxpfx_restart SPEAKER UP: the max-prefix scenario; sets R_REASON.
bgp_maxpfx_restart() {
  local sp=$1 up=$2 gwlog mark brlog brmark t0 t1 t2 named=no applog=no gone=no lanroute=yes held pfx
  R_REASON=""
  if [[ $up -ne 0 ]] || ! lab_wait 10 lan_ping_once; then R_REASON="no session/ping before"; return 1; fi
  gwlog=$(gw_bgp_log "$sp") brlog=$(branch_log)
  mark=$(lab_size "$gwlog") brmark=$(lab_size "$brlog")
  t0=$(lab_ms)
  gw_extra "$sp" on
  if ! lab_wait 15 gw_bgp_down "$sp"; then
    gw_extra "$sp" off
    R_REASON="$((1 + BGP_MAXPFX_EXTRA)) prefixes announced (maximum $BGP_MAXPFX): the session stayed up 15 s; appliance PfxRcd $(branch_bgp_prefixes)"
    return 1
  fi
  t1=$(lab_ms)
  # back to 1 prefix at once, the appliance holds the session down for the restart time meanwhile
  gw_extra "$sp" off
  lab_wait 3 bash -c "! ip netns exec $NS_LAN ping -n -q -c 1 -W 1 $VNET_HOST_IP" && gone=yes
  gw_bgp_has_branch_route "$sp" || lanroute=no
  lab_wait 5 gw_bgp_names_maxpfx "$sp" "$mark" && named="yes ($(gw_bgp_names_maxpfx "$sp" "$mark"))"
  lab_grep_since "$brlog" "$brmark" 'prefixes received \(maximum-prefix\)' && applog=yes
  if lab_wait $((BGP_MAXPFX_RESTART + 30)) bgp_up "$sp"; then
    t2=$(lab_ms)
    held=$((t2 - t1))
  else
    t2=0 held=-1
  fi
  lab_wait 10 lan_ping_once
  pfx=$(branch_bgp_prefixes)
  R_REASON="closed $((t1 - t0)) ms after $((1 + BGP_MAXPFX_EXTRA)) prefixes (maximum $BGP_MAXPFX); gateway names Cease/Maximum Number of Prefixes Reached: $named; appliance log: $applog; VNet unreachable while down: $gone; gateway kept $LAN_NET: $lanroute; back after $((held / 1000)).$(((held % 1000) / 100)) s (restart ${BGP_MAXPFX_RESTART} s) with $pfx prefix(es)"
  if [[ $held -lt 0 ]]; then R_REASON="not back within $((BGP_MAXPFX_RESTART + 30)) s: $R_REASON"; return 1; fi
  [[ $named == yes* && $applog == yes && $gone == yes && $held -ge $((BGP_MAXPFX_RESTART * 1000 - 1500)) && $pfx -ge 1 && $pfx -le $BGP_MAXPFX ]] || return 1
  lan_ping_ok 5 || { R_REASON="no ping after the restart: $R_REASON"; return 1; }
  R_REASON+=", 5/5 pings"
}

# bgp_maxpfx_warning SPEAKER: the appliance restarted with maximum-prefix-action warning; sets R_REASON.
bgp_maxpfx_warning() {
  local sp=$1 brlog pfx warned=no
  R_REASON=""
  branch_stop
  APP_BGP_EXTRA=$(bgp_peer_app_extra warning)
  if ! branch_start initiator "$LAB_PSK" "$BGP_IKE" "$BGP_ESP" ||
    ! lab_wait 20 tunnel_up || ! lab_wait 30 bgp_up "$sp"; then
    R_REASON="no session after the appliance's restart"
    return 1
  fi
  brlog=$(branch_log)
  gw_extra "$sp" on
  lab_wait 10 bgp_pfx_at_least $((1 + BGP_MAXPFX_EXTRA))
  sleep 2
  pfx=$(branch_bgp_prefixes)
  grep -q 'prefixes received (maximum-prefix, warning only)' "$brlog" && warned=yes
  R_REASON="$((1 + BGP_MAXPFX_EXTRA)) prefixes announced (maximum $BGP_MAXPFX, warning): appliance PfxRcd $pfx, warning logged: $warned, session $(gw_bgp_established "$sp" && echo up || echo down)"
  gw_extra "$sp" off
  [[ $warned == yes && $pfx -ge $((1 + BGP_MAXPFX_EXTRA)) ]] && gw_bgp_established "$sp" && lan_ping_once
}

# bgp_pfx_at_least N: the branch holds at least N prefixes from its (every) neighbour.
bgp_pfx_at_least() { [[ $(branch_bgp_prefixes) -ge $1 ]]; }
