# tools/lab/lib/failover.sh: `bench failover` (issue 7): active-active failover of the appliance.
#
# Two gateway instances (gw 198.18.1.10, gw2 198.18.1.11, topo_add_gw2), each a strongSwan responder
# (0.0.0.0/0 selectors) with BIRD announcing the VNet (10.1.0.0/24) plus N static /24s from
# 10.128.0.0/9 (protocol static "injector", next hop the VNet host). The appliance has two peers, two
# tunnels (vti0 169.254.21.2/30 -> gw 169.254.21.1, vti1 169.254.22.2/30 -> gw2 169.254.22.1), eBGP
# over both and maximum-paths 2: it learns every prefix over both = ECMP.
#
# One case = DETECT (dpd|bfd|hold) x N prefixes, everything started fresh:
#   1. tunnels, both sessions Established, the appliance's `show bgp summary` has N+1 prefixes from
#      both neighbours, the probe (an address of the VNet host in the LAST injected /24) answers;
#   2. the carrying tunnel: 25 pings at 20 ms, the gateway whose ipsec0 received more packets (the
#      decrypted side of kernel-libipsec) carries the flow; that gateway is the one cut;
#   3. the VNet host's return route is pinned to the OTHER gateway (the lab's VNet has no routing
#      protocol of its own: what is measured is the branch's detection and reroute only);
#   4. `ping -i 0.02` LAN host -> probe for FO_SECONDS, the carrying gateway's WAN is cut 1.5 s in by an
#      nftables drop of everything on its wan0 (both directions; no DELETE, no link event);
#   5. loss_ms = receive-timestamp gap around the lost pings (ping -D: last reply before -> first
#      after, minus 20 ms; lost x 20 ms is logged too); not recovered when the last pings are lost
#      (then loss_ms is ">lost x 20 ms", a lower bound).
# Detection settings (lab values):
#   dpd:  ike-group dpd interval 1 timeout 3 action restart; BGP 60/180; no BFD
#   bfd:  BFD 100 ms x 3 on both neighbours (BIRD: protocol bfd + bfd on); DPD 30/150; BGP 60/180
#   hold: BGP keepalive 1 hold 3 on both sides; DPD 30/150; no BFD; the gateways' BIRD with
#         `graceful restart off` (see hold-gr)
#   hold-gr (not in the default list): the same with BIRD's default GR-aware mode: the appliance, as
#         RFC 4724 helper, keeps the routes of a neighbour whose hold timer expired as stale for the
#         restart time (120 s), so no reroute happens within the case (measured: not recovered)
# dpd and bfd keep BIRD's default (GR capability announced): a tunnel going down or BFD down removes
# the routes at once on the appliance.

FO_INTERVAL=0.02
FO_SECONDS=${FO_SECONDS:-10}
BGP_GW2_INSIDE=169.254.22.1 BGP_BR2_INSIDE=169.254.22.2
FO_DPD_I=30 FO_DPD_T=150 FO_BFD=0 FO_GR=1

# fo_mode MODE: sets the detection parameters of a case.
fo_mode() {
  FO_DPD_I=30 FO_DPD_T=150 FO_BFD=0 FO_GR=1 BGP_KEEPALIVE=60 BGP_HOLD=180
  case $1 in
    dpd) FO_DPD_I=1 FO_DPD_T=3 ;;
    bfd) FO_BFD=1 ;;
    hold) BGP_KEEPALIVE=1 BGP_HOLD=3 FO_GR=0 ;;
    hold-gr) BGP_KEEPALIVE=1 BGP_HOLD=3 ;;
    *) return 1 ;;
  esac
}

# fo_prefix I: the I-th injected /24 (10.128.0.0/9 upwards).
fo_prefix() { echo "10.$((128 + $1 / 256)).$(($1 % 256)).0/24"; }

# fo_appliance_conf FILE ROLE PSK IKE ESP: two peers, two tunnels, eBGP over both, ECMP (APP_CONF_GEN).
fo_appliance_conf() {
  local file=$1 psk=$3 ike=$4 esp=$5 p name addr vti inside nb
  {
    app_conf_base "bench failover" "$ike" "$esp" "$FO_DPD_I" "$FO_DPD_T"
    for p in gw:$GW_IP:vti0:169.254.21.2 gw2:$GW2_IP:vti1:169.254.22.2; do
      IFS=: read -r name addr vti inside <<<"$p"
      app_conf_peer "$name" "$addr" "$psk" initiate "$vti" "$inside"
    done
    app_conf_bgp 2
    for p in $BGP_GW_INSIDE:vti0 $BGP_GW2_INSIDE:vti1; do
      IFS=: read -r nb vti <<<"$p"
      app_conf_neighbor "$nb" "$vti"
      if [[ $FO_BFD -eq 1 ]]; then app_conf_bfd "$nb" 100; fi
    done
  } >"$file"
}

# fo_gw_start NAME NS ADDR INSIDE PEER_INSIDE PREFIXES: charon (responder) + BIRD on one gateway.
fo_gw_start() {
  local name=$1 ns=$2 addr=$3 inside=$4 peer=$5 n=$6 dir="$LAB_RUN/fo-$1" extra i
  mkdir -p "$dir"
  sw_start "$name" "$ns" || return 1
  sw_conf "$name" "$addr" %any "$addr" $BR_WAN_IP "$LAB_PSK" "$FO_IKE" "$FO_ESP" respond clear
  sw_load "$name" || { lab_log "swanctl --load-all failed on $name"; return 1; }
  bgp_inside_addr "$ns" "$inside" || return 1
  ip -n "$ns" route replace 10.128.0.0/9 via $VNET_HOST_IP
  extra="protocol static injector {
  ipv4;"
  extra+=$'\n'$(awk -v n="$n" -v nh=$VNET_HOST_IP 'BEGIN { for (i = 0; i < n; i++) printf "  route 10.%d.%d.0/24 via %s;\n", 128 + int(i / 256), i % 256, nh }')
  extra+=$'\n}'
  BIRD_BGP_EXTRA=""
  [[ $FO_GR -eq 0 ]] && BIRD_BGP_EXTRA="graceful restart off;"
  if [[ $FO_BFD -eq 1 ]]; then
    BIRD_BGP_EXTRA+=" bfd on;"
    extra+=$'\nprotocol bfd { interface "ipsec0" { min rx interval 100 ms; min tx interval 100 ms; multiplier 3; }; }'
  fi
  bird_conf "$dir/bird.conf" "$addr" $BGP_GW_AS "$inside" $BGP_BR_AS "$peer" $DEV_GW_VNET \
    "[ 192.168.0.0/16{16,24} ]" on "$dir/bird.log" "$extra"
  chmod 755 "$dir"
  bird_start "$name" "$ns" "$dir/bird.conf"
}

fo_gw_stop() {
  bird_stop "$1"
  sw_stop "$1"
  ip netns exec "$2" nft delete table ip lab_cut 2>/dev/null || true
}

# fo_cut NS / fo_uncut NS: drop everything in and out of the gateway's wan0.
fo_cut() {
  ip netns exec "$1" nft -f - <<EOF
table ip lab_cut {
  chain cut_in { type filter hook input priority -10; policy accept; iifname "$DEV_GW_WAN" drop; }
  chain cut_out { type filter hook output priority -10; policy accept; oifname "$DEV_GW_WAN" drop; }
  chain cut_fwd { type filter hook forward priority -10; policy accept; iifname "$DEV_GW_WAN" drop; oifname "$DEV_GW_WAN" drop; }
}
EOF
}

# fo_rx NS: packets received on the gateway's ipsec0 (decrypted from the tunnel).
fo_rx() { ip -n "$1" -s link show ipsec0 2>/dev/null | awk '/RX:/ { getline; print $2; exit }'; }

# fo_app_pfx N: the appliance's `show bgp summary` has at least N prefixes from both neighbours.
fo_app_pfx() {
  appliance_show "show bgp summary" 0.3 | awk -v n="$1" -v a=$BGP_GW_INSIDE -v b=$BGP_GW2_INSIDE '
    $1 == a && $(NF - 1) + 0 >= n { ok++ } $1 == b && $(NF - 1) + 0 >= n { ok++ } END { exit !(ok >= 2) }'
}

fo_probe_ok() { ip netns exec "$NS_LAN" ping -n -q -c 1 -W 1 "$FO_PROBE" >/dev/null 2>&1; }

# fo_case IMPL MODE N: one case; sets FO_RESULT[IMPL/MODE/N] to loss_ms (or NA) and FO_NOTE.
declare -A FO_RESULT FO_NOTE
fo_case() {
  local impl=$1 mode=$2 n=$3 key="$1/$2/$3" dir a b carrier other cns ons ovnet count out tx rx lost lastmiss
  FO_RESULT[$key]=NA FO_NOTE[$key]=""
  fo_mode "$mode" || return 1
  dir="$LAB_RUN/case-$impl-$mode-$n"
  mkdir -p "$dir"
  lab_log "failover case $key"
  FO_PROBE="$(fo_prefix $((n - 1)))"
  FO_PROBE="${FO_PROBE%.0/24}.10"
  ip -n "$NS_VNET" addr add "$FO_PROBE/24" dev vnet 2>/dev/null || true
  ip -n "$NS_VNET" route replace default via $VNET_GW_IP
  if fo_gw_start gw "$NS_GW" $GW_IP $BGP_GW_INSIDE $BGP_BR_INSIDE "$n" &&
    fo_gw_start gw2 "$NS_GW2" $GW2_IP $BGP_GW2_INSIDE $BGP_BR2_INSIDE "$n"; then
    local started=0
    if [[ $impl == appliance ]]; then
      if [[ ${BRANCH_IMPL:-} != appliance ]]; then source "$LAB_HOME/lib/branch-appliance.sh"; fi
      LAB_NO_BUILD=$nobuild
      APP_CONF_GEN=fo_appliance_conf
      branch_prepare && branch_bgp_prepare && branch_start initiator "$LAB_PSK" "$FO_IKE" "$FO_ESP" && started=1
    else
      fo_ref_branch_start && started=1
    fi
    if [[ $started -eq 0 ]]; then
      FO_NOTE[$key]="branch did not start"
    elif ! lab_wait 20 sw_child_installed gw || ! lab_wait 10 sw_child_installed gw2; then
      FO_NOTE[$key]="no two tunnels"
    elif ! lab_wait 30 bird_established gw || ! lab_wait 10 bird_established gw2; then
      FO_NOTE[$key]="no two BGP sessions"
    elif [[ $impl == appliance ]] && ! lab_wait 40 fo_app_pfx $((n + 1)); then
      FO_NOTE[$key]="appliance did not learn $((n + 1)) prefixes from both neighbours"
    elif [[ $impl == strongswan ]] && ! lab_wait 40 fo_ref_learned $((n + 1)); then
      FO_NOTE[$key]="branch BIRD did not install $((n + 1)) routes with two next hops"
    elif ! lab_wait 20 fo_probe_ok; then
      FO_NOTE[$key]="probe $FO_PROBE unreachable"
    else
      # which tunnel carries LAN host -> probe?
      a=$(fo_rx "$NS_GW") b=$(fo_rx "$NS_GW2")
      ip netns exec "$NS_LAN" ping -n -q -c 25 -i $FO_INTERVAL -W 1 "$FO_PROBE" >/dev/null 2>&1
      a=$(($(fo_rx "$NS_GW") - a)) b=$(($(fo_rx "$NS_GW2") - b))
      if [[ $a -ge $b ]]; then
        carrier=gw cns=$NS_GW ons=$NS_GW2 ovnet=$VNET_GW2_IP
      else
        carrier=gw2 cns=$NS_GW2 ons=$NS_GW ovnet=$VNET_GW_IP
      fi
      lab_log "flow on $carrier (ipsec0 rx during 25 pings: gw $a, gw2 $b); return path pinned to the other gateway"
      ip -n "$NS_VNET" route replace $LAN_NET via "$ovnet"
      count=$(awk -v s="$FO_SECONDS" -v i="$FO_INTERVAL" 'BEGIN { printf "%d", s / i }')
      out="$dir/ping.txt"
      lab_bg "ping-$mode-$n" "$out" ip netns exec "$NS_LAN" ping -D -n -i $FO_INTERVAL -W 1 -c "$count" "$FO_PROBE"
      local ppid=$LAB_LAST_PID
      sleep 1.5
      fo_cut "$cns"
      lab_log "cut $carrier's WAN"
      if [[ $impl == strongswan ]]; then
        { bird_ctl br show protocols; bird_ctl br show bfd sessions; ip -n "$NS_BR" route show "$(fo_prefix $((n - 1)))"; } >"$dir/before-cut.txt" 2>&1
      fi
      lab_wait $((FO_SECONDS + 5)) sh -c "! kill -0 $ppid 2>/dev/null" || lab_stop "$ppid" INT
      wait "$ppid" 2>/dev/null || true
      read -r tx rx < <(awk '/packets transmitted/ { print $1, $4 }' "$out")
      lastmiss=$(awk -v c="$count" '/icmp_seq=/ { split($0, f, "icmp_seq="); split(f[2], g, " "); seen[g[1] + 0] = 1 }
        END { m = 0; for (i = 1; i <= c; i++) if (!(i in seen)) m = i; print m }' "$out")
      if [[ -n "${tx:-}" ]]; then
        lost=$((tx - rx))
        # loss_ms: the receive timestamps around each gap in icmp_seq (last reply before -> first
        # reply after, minus one interval), summed; ping's real send interval is somewhat longer than
        # -i under load, so lost x interval (logged too) underestimates the outage
        FO_RESULT[$key]=$(awk -v i="$FO_INTERVAL" '/icmp_seq=/ {
            t = $1; gsub(/[\[\]]/, "", t); split($0, f, "icmp_seq="); split(f[2], g, " "); q = g[1] + 0
            if (pq != "" && q > pq + 1) gap += (t - pt) * 1000 - i * 1000
            pq = q; pt = t }
          END { printf "%d", gap }' "$out")
        lab_log "case $key: lost x interval = $(awk -v l="$lost" -v i="$FO_INTERVAL" 'BEGIN { printf "%d", l * i * 1000 }') ms"
        if [[ $lastmiss -gt $((count - 5)) ]]; then
          FO_NOTE[$key]="not recovered within ${FO_SECONDS}s (loss is a lower bound)"
          FO_RESULT[$key]=">$(awk -v l="$lost" -v i="$FO_INTERVAL" 'BEGIN { printf "%d", l * i * 1000 }')"
        fi
        lab_log "case $key: $tx sent, $rx received, loss ${FO_RESULT[$key]} ms ${FO_NOTE[$key]}"
      fi
      if [[ $impl == appliance ]]; then
        appliance_console "show ipsec sa"; appliance_console "show bgp summary"; appliance_console "show bfd peers"; sleep 0.3
      else
        { bird_ctl br show protocols; bird_ctl br show bfd sessions; ip -n "$NS_BR" route show "$(fo_prefix $((n - 1)))"
          sw_ctl br --list-sas; } >"$dir/after-cut.txt" 2>&1
        [[ $mode != dpd && -n "${FO_NOTE[$key]}" ]] && FO_NOTE[$key]+="; policy-based SA choice (kernel-libipsec): BGP/BFD withdrawal does not move the flow, see $dir/after-cut.txt"
      fi
    fi
    if [[ $impl == appliance ]]; then
      [[ -n "${FO_NOTE[$key]}" ]] && lab_log "case $key: ${FO_NOTE[$key]} (logs: $(branch_log), $LAB_RUN/fo-gw*/bird.log)"
      [[ $started -eq 1 ]] && branch_stop
    else
      [[ -n "${FO_NOTE[$key]}" ]] && lab_log "case $key: ${FO_NOTE[$key]} (logs: $LAB_RUN/sw-br/, $LAB_RUN/fo-gw*/bird.log)"
      fo_ref_branch_stop
    fi
  fi
  fo_gw_stop gw "$NS_GW"
  fo_gw_stop gw2 "$NS_GW2"
  ip -n "$NS_VNET" route del $LAN_NET 2>/dev/null || true
  ip -n "$NS_VNET" addr del "$FO_PROBE/24" dev vnet 2>/dev/null || true
  [[ ${FO_RESULT[$key]} != NA ]]
}

# ---- Reference: strongSwan + BIRD branch, active-active with narrowed selectors ----
# kernel-libipsec has one ipsec0 and picks the SA by policy (traffic selectors), not by route, so two
# 0.0.0.0/0 CHILD SAs cannot be told apart (README). The reference therefore has two connections with
# narrowed selectors: gw: 192.168.10.0/24,169.254.21.2/32 === 10.0.0.0/8,169.254.21.1/32 and gw2:
# the same with 169.254.22.x, so each BGP session stays on its own SA; BIRD on the branch learns the
# prefixes over both sessions (kernel protocol `merge paths on` = ECMP routes on ipsec0). The data
# flow matches both SAs' policies and libipsec uses one of them whatever the routes say: BGP/BFD
# withdrawal cannot move it; only the SA going away (DPD, dpd_action clear) does. charon's DPD is
# dpd_delay + retransmissions (timeout 1 s, base 1.4, 3 tries: about 7 s), not "timeout 3".

# fo_ref_branch_start: charon + BIRD on the branch (LAN host on a veth).
fo_ref_branch_start() {
  local dir dpd=30s p name addr lin rin
  [[ $FO_DPD_I -eq 1 ]] && dpd=1s
  lan_attach_veth
  sw_start br "$NS_BR" || return 1
  dir=${SW_DIR[br]}
  {
    echo "connections {"
    for p in gw:$GW_IP:169.254.21.2:169.254.21.1 gw2:$GW2_IP:169.254.22.2:169.254.22.1; do
      IFS=: read -r name addr lin rin <<<"$p"
      cat <<EOC
  $name {
    version = 2
    local_addrs = $BR_WAN_IP
    remote_addrs = $addr
    proposals = $FO_IKE
    encap = yes
    mobike = no
    dpd_delay = $dpd
    rekey_time = 0s
    local { auth = psk
      id = $BR_WAN_IP }
    remote { auth = psk
      id = $addr }
    children {
      net {
        local_ts = $LAN_NET,$lin/32
        remote_ts = 10.0.0.0/8,$rin/32
        esp_proposals = $FO_ESP
        start_action = start
        dpd_action = clear
        rekey_time = 0s
      }
    }
  }
EOC
    done
    echo "}"
    echo "secrets {"
    for p in gw:$GW_IP gw2:$GW2_IP; do
      IFS=: read -r name addr <<<"$p"
      echo "  ike-$name { id-local = $BR_WAN_IP"
      echo "    id-remote = $addr"
      echo "    secret = \"$LAB_PSK\" }"
    done
    echo "}"
  } >"$dir/swanctl.conf"
  # the inside addresses first: kernel-libipsec installs its routes with them as source
  ip -n "$NS_BR" addr replace 169.254.21.2/30 dev ipsec0
  ip -n "$NS_BR" addr replace 169.254.22.2/30 dev ipsec0
  ip -n "$NS_BR" link set ipsec0 up
  sw_load br || { lab_log "swanctl --load-all failed on the branch ($dir/swanctl.log)"; return 1; }
  mkdir -p "$dir/bird"
  chmod 755 "$dir/bird"
  {
    echo "log \"$dir/bird/bird.log\" all;"
    echo "router id $BR_WAN_IP;"
    echo "protocol device { scan time 2; }"
    echo "protocol direct announced { ipv4; interface \"$DEV_BR_LAN\"; }"
    echo "protocol kernel { merge paths on; ipv4 { import none; export where source = RTS_BGP; }; }"
    echo "filter peer_in { if net ~ [ 10.0.0.0/8{8,24} ] then accept; reject; }"
    echo "filter peer_out { if proto = \"announced\" then accept; reject; }"
    [[ $FO_BFD -eq 1 ]] && echo 'protocol bfd { interface "ipsec0" { min rx interval 100 ms; min tx interval 100 ms; multiplier 3; }; }'
    for p in gw1:169.254.21.2:169.254.21.1 gw2:169.254.22.2:169.254.22.1; do
      IFS=: read -r name lin rin <<<"$p"
      echo "protocol bgp $name {"
      echo "  local $lin as $BGP_BR_AS; neighbor $rin as $BGP_GW_AS;"
      echo "  hold time $BGP_HOLD; keepalive time $BGP_KEEPALIVE; connect delay time 1; connect retry time 2; error wait time 1, 10;"
      [[ $FO_BFD -eq 1 ]] && echo "  bfd on;"
      [[ $FO_GR -eq 0 ]] && echo "  graceful restart off;"
      echo "  ipv4 { import filter peer_in; export filter peer_out; next hop self; };"
      echo "}"
    done
  } >"$dir/bird/bird.conf"
  bird_start br "$NS_BR" "$dir/bird/bird.conf"
}

fo_ref_branch_stop() { bird_stop br; sw_stop br; }

# fo_ref_learned N: the branch's kernel has the last prefix with two next hops and N+1 BIRD routes.
fo_ref_learned() {
  [[ $(ip -n "$NS_BR" route show proto bird | grep -c '^[0-9]') -ge $1 ]] &&
    [[ $(ip -n "$NS_BR" route show "$(fo_prefix $(($1 - 2)))" | grep -c nexthop) -ge 2 ]]
}
