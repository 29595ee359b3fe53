# tools/lab/lib/bgp-multi.sh: `interop bgp` with several gateway instances (issue 7).
#
# Model: the appliance has one WAN address (198.18.0.2); every tunnel goes to its own gateway
# instance, a namespace with strongSwan (responder, 0.0.0.0/0 selectors) and BIRD 2 (passive, BFD),
# all on the same VNet bridge (the VNet host 10.1.0.10; gateway k is 10.1.0.k on it):
#   gateway k   WAN 198.18.1.(9+k)   inside 169.254.(20+k).1/30, the appliance 169.254.(20+k).2 on vti(k-1)
# (k = 1: the usual gw; k = 2: topo_add_gw2; k >= 3: topo_add_gw). Every gateway announces the VNet
# 10.1.0.0/24; the appliance has `maximum-paths K` and BFD (MG_BFD_MS x 3) on every neighbour.
#   active-active/*     K = 2: Azure active-active (two instances, one tunnel each)
#   dual-redundancy/*   K = 4: two VPN connections x two tunnels (AWS), or Azure active-active towards
#                       two on-premises links; on one WAN address the four tunnels are four instances
# Scenarios (<group>/<name>):
#   established     K tunnels (each gateway's CHILD SA), K BGP sessions Established (each gateway's BIRD),
#                   the appliance's `show bgp summary` has the VNet from all K neighbours
#   ecmp            the appliance's `show ip route 10.1.0.0/24` lists K next hops (one per tunnel)
#   flows-spread    MG_FLOWS UDP flows (LAN host, source ports 40000+i -> VNet host :5001): the VNet host's
#                   capture (source MAC = the forwarding gateway) has flows from every gateway (K = 2)
#                   or from at least 3 of 4 (K = 4)
#   flows-sticky    MG_ROUNDS rounds of MG_PKTS packets per flow, 0.3 s apart: every flow arrived through
#                   one gateway only; and the appliance's `show ip route explain` for the first flows names
#                   the tunnel the capture saw
#   cut             (K = 4) continuous ping (the ICMP flow's carrier found by the capture); that gateway's
#                   WAN cut (nftables drop, as bench failover): the ping continues over the other three
#                   (BFD), the appliance's route has 3 next hops
#   restore         (K = 4) the cut lifted: the tunnel, the session and 4 next hops come back
# The VNet host's return traffic goes to gateway 1 (its default route); when gateway 1 carries the
# ping that is cut, the return route is pinned to a surviving gateway first (the cloud's own routing
# withdrawing a dead instance, which the lab's VNet does not model).

MG_BFD_MS=300 MG_FLOWS=32 MG_ROUNDS=3 MG_PKTS=3 MG_PORT=5001 MG_SPORT=40000
MG_CUT_SECONDS=12
MG_IKE="" MG_ESP="" MG_K=2 MG_SPEAKER=bird
declare -A MG_MAC

mg_name() { if [[ $1 -eq 1 ]]; then echo gw; else echo "gw$1"; fi; }
mg_ns() {
  case $1 in
    1) echo "$NS_GW" ;;
    2) echo "$NS_GW2" ;;
    *) echo "${NS_GWN[$1]:-}" ;;
  esac
}
mg_addr() { echo "198.18.1.$((9 + $1))"; }
mg_inside() { echo "169.254.$((20 + $1)).1"; }
mg_br_inside() { echo "169.254.$((20 + $1)).2"; }

# mg_topo K: gateway namespaces 2..K (created once per run, when first needed).
mg_topo() {
  local k
  [[ -n "$NS_GW2" ]] || topo_add_gw2
  for ((k = 3; k <= $1; k++)); do [[ -n "${NS_GWN[$k]:-}" ]] || topo_add_gw "$k"; done
}

# mg_appliance_conf FILE ROLE PSK IKE ESP: K peers and tunnels, eBGP + BFD over each, ECMP (APP_CONF_GEN).
mg_appliance_conf() {
  local file=$1 psk=$3 ike=$4 esp=$5 k nb
  {
    app_conf_base "interop bgp, $MG_K gateway instances" "$ike" "$esp" 2 8
    for ((k = 1; k <= MG_K; k++)); do
      app_conf_peer "$(mg_name $k)" "$(mg_addr $k)" "$psk" initiate "vti$((k - 1))" "$(mg_br_inside $k)"
    done
    app_conf_bgp "$MG_K"
    for ((k = 1; k <= MG_K; k++)); do
      nb=$(mg_inside $k)
      app_conf_neighbor "$nb" "vti$((k - 1))"
      if [[ $MG_SPEAKER == bird ]]; then app_conf_bfd "$nb" "$MG_BFD_MS"; fi
    done
  } >"$file"
}

# mg_gw_start K: gateway instance K: charon (responder) + the speaker MG_SPEAKER (BIRD: passive, BFD;
# FRR: zebra + bgpd, passive, no BFD) announcing the VNet.
mg_gw_start() {
  local k=$1 name ns addr dir
  name=$(mg_name "$k") ns=$(mg_ns "$k") addr=$(mg_addr "$k")
  dir="$LAB_RUN/mg-$name"
  mkdir -p "$dir"
  chmod 755 "$dir"
  sw_start "$name" "$ns" || return 1
  sw_conf "$name" "$addr" %any "$addr" $BR_WAN_IP "$LAB_PSK" "$MG_IKE" "$MG_ESP" respond clear
  sw_load "$name" || { lab_log "swanctl --load-all failed on $name"; return 1; }
  bgp_inside_addr "$ns" "$(mg_inside "$k")" || return 1
  MG_MAC[$k]=$(ip -n "$ns" -br link show $DEV_GW_VNET | awk '{ print $3 }')
  if [[ $MG_SPEAKER == frr ]]; then
    mg_frr_conf "$k" "$dir"
    frr_start "$name" "$ns" "$dir"
    return
  fi
  BIRD_BGP_EXTRA="bfd on;"
  bird_conf "$dir/bird.conf" "$addr" $BGP_GW_AS "$(mg_inside "$k")" $BGP_BR_AS "$(mg_br_inside "$k")" $DEV_GW_VNET \
    "[ 192.168.0.0/16{16,24} ]" on "$dir/bird.log" \
    "protocol bfd { interface \"ipsec0\" { min rx interval $MG_BFD_MS ms; min tx interval $MG_BFD_MS ms; multiplier 3; }; }"
  BIRD_BGP_EXTRA=""
  bird_start "$name" "$ns" "$dir/bird.conf"
}

# mg_frr_conf K DIR: gateway K's FRR (frr_conf_gw for its own name and inside addresses; graceful
# restart left at FRR's default).
mg_frr_conf() {
  frr_conf_gw "$2" default "$(mg_name "$1")" "$(mg_addr "$1")" "$(mg_br_inside "$1")"
}

# mg_established K: gateway K's speaker has its session Established.
mg_established() {
  if [[ $MG_SPEAKER == frr ]]; then
    frr_ctl "$(mg_name "$1")" "show bgp neighbor $(mg_br_inside "$1")" 2>/dev/null | grep -q 'BGP state = Established'
  else
    bird_established "$(mg_name "$1")"
  fi
}

mg_gw_stop() {
  local name ns
  name=$(mg_name "$1") ns=$(mg_ns "$1")
  if [[ $MG_SPEAKER == frr ]]; then frr_stop "$name"; else bird_stop "$name"; fi
  sw_stop "$name"
  [[ -n "$ns" ]] && ip netns exec "$ns" nft delete table ip lab_cut 2>/dev/null || true
}

# mg_cut K / mg_uncut K: drop everything in and out of gateway K's wan0 (as bench failover).
mg_cut() {
  ip netns exec "$(mg_ns "$1")" nft -f - <<EOF
table ip lab_cut {
  chain cut_in { type filter hook input priority -10; policy accept; iifname "$DEV_GW_WAN" drop; }
  chain cut_out { type filter hook output priority -10; policy accept; oifname "$DEV_GW_WAN" drop; }
  chain cut_fwd { type filter hook forward priority -10; policy accept; iifname "$DEV_GW_WAN" drop; oifname "$DEV_GW_WAN" drop; }
}
EOF
}
mg_uncut() { ip netns exec "$(mg_ns "$1")" nft delete table ip lab_cut 2>/dev/null; }

# mg_all_tunnels / mg_all_sessions: every gateway has its CHILD SA / an Established BIRD session.
mg_all_tunnels() { local k; for ((k = 1; k <= MG_K; k++)); do sw_child_installed "$(mg_name $k)" || return 1; done; }
mg_all_sessions() { local k; for ((k = 1; k <= MG_K; k++)); do mg_established $k || return 1; done; }

# mg_app_neighbors_up: number of neighbours in the appliance's `show bgp summary` with >= 1 prefix.
mg_app_neighbors_up() {
  appliance_show "show bgp summary" 0.3 | awk '$1 ~ /^169\.254\./ && $2 == 4 && $(NF - 1) + 0 >= 1 { n++ } END { print n + 0 }'
}
mg_app_all_up() { [[ $(mg_app_neighbors_up) -ge $MG_K ]]; }

# mg_route_line: the appliance's `show ip route` line of the VNet; mg_paths: its next-hop count.
mg_route_line() { appliance_show "show ip route $VNET_NET" 0.3 | grep -F " $VNET_NET " | tail -1; }
mg_paths() { mg_route_line | grep -o 'weight' | wc -l; }
mg_paths_are() { [[ $(mg_paths) -eq $1 ]]; }

# mg_gw_of_mac MAC: the gateway index whose VNet port has MAC (0 if none).
mg_gw_of_mac() { local k; for ((k = 1; k <= MG_K; k++)); do [[ "${MG_MAC[$k]}" == "$1" ]] && { echo $k; return; }; done; echo 0; }

# mg_flows PREFIX: MG_FLOWS UDP flows x MG_ROUNDS rounds x MG_PKTS packets from the LAN host to the
# VNet host, captured on the VNet host's bridge; writes "<sport> <gateway index>" per packet to
# $LAB_RUN/PREFIX-flows.txt (MG_FLOW_FILE) and the ICMP echo requests' gateway of a short ping to
# MG_PING_GW.
mg_flows() {
  local pre=$1 cap="$LAB_RUN/$1-flows.pcap" cpid k
  MG_FLOW_FILE="$LAB_RUN/$pre-flows.txt"
  lab_bg "tcpdump-$pre-flows" "$LAB_RUN/$pre-flows.tcpdump.log" ip netns exec "$NS_VNET" \
    tcpdump -i vnet -U -n -s 128 -w "$cap" "(udp dst port $MG_PORT) or (icmp[icmptype] == icmp-echo)"
  cpid=$LAB_LAST_PID
  lab_wait 5 test -s "$cap"
  sleep 0.3
  local rx0=() rx1
  for ((k = 1; k <= MG_K; k++)); do rx0[$k]=$(mg_rx "$k"); done
  ip netns exec "$NS_LAN" timeout 60 /usr/bin/python3 - "$VNET_HOST_IP" $MG_PORT $MG_SPORT $MG_FLOWS $MG_ROUNDS $MG_PKTS <<'PY'
import socket, sys, time
dst, port, sport, flows, rounds, pkts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
socks = []
for i in range(flows):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", sport + i))
    socks.append(s)
for r in range(rounds):
    for i, s in enumerate(socks):
        for p in range(pkts):
            s.sendto(b"lab flow %d round %d packet %d" % (i, r, p), (dst, port))
            time.sleep(0.002)
    time.sleep(0.3)
PY
  MG_RX=""
  for ((k = 1; k <= MG_K; k++)); do rx1=$(mg_rx "$k"); MG_RX+="$(mg_name $k) +$((rx1 - ${rx0[$k]:-0})) "; done
  MG_RX=${MG_RX% }
  ip netns exec "$NS_LAN" ping -n -q -c 5 -i 0.1 -W 1 $VNET_HOST_IP >/dev/null 2>&1
  # tcpdump on a loaded machine can be behind the kernel's ring: stopping it at once lost the echoes
  # (CI: "293 received by filter, 288 captured"), so wait until they are in the file (bounded).
  lab_wait 5 mg_cap_has_icmp "$cap" || true
  sleep 0.2
  lab_stop "$cpid" INT
  local map=""
  for ((k = 1; k <= MG_K; k++)); do map+="${MG_MAC[$k]}=$k "; done
  tshark -n -r "$cap" -T fields -e eth.src -e udp.srcport -e icmp.type 2>/dev/null |
    awk -F'\t' -v map="$map" 'BEGIN { n = split(map, m, " "); for (i = 1; i <= n; i++) { split(m[i], kv, "="); g[kv[1]] = kv[2] } }
      { print ($2 != "" ? $2 : "icmp"), ($1 in g ? g[$1] : 0) }' >"$MG_FLOW_FILE"
  MG_PING_GW=$(awk '$1 == "icmp" { c[$2]++ } END { b = 0; for (k in c) if (c[k] > c[b] + 0) b = k; print b }' "$MG_FLOW_FILE")
}

# mg_cap_has_icmp PCAP: the capture (still being written) holds at least one echo request.
mg_cap_has_icmp() { [[ $(tshark -n -r "$1" -Y 'icmp.type == 8' -T fields -e frame.number 2>/dev/null | wc -l) -ge 1 ]]; }

# mg_rx K: packets received on gateway K's ipsec0 (decrypted from its tunnel; BGP and BFD included).
mg_rx() { ip -n "$(mg_ns "$1")" -s link show ipsec0 2>/dev/null | awk '/RX:/ { getline; print $2 + 0; exit }'; }

# mg_flow_stats: from MG_FLOW_FILE: MG_PKTS_RX (UDP packets), MG_GW_FLOWS ("gw:n gw2:n ..."),
# MG_GWS_USED (gateways carrying at least one flow), MG_STICKY (flows seen through one gateway only),
# MG_SEEN (flows seen).
mg_flow_stats() {
  local k out
  out=$(awk -v K=$MG_K '$1 != "icmp" { n++; if (!(($1, $2) in seen)) { seen[$1, $2] = 1; gws[$1]++ } first[$1] = $2 }
    END { for (f in gws) { flows++; if (gws[f] == 1) { sticky++; per[first[f]]++ } }
      used = 0; s = ""; for (k = 1; k <= K; k++) { if (per[k] + 0 > 0) used++; s = s " " k ":" per[k] + 0 }
      printf "%d %d %d %d%s\n", n, flows, sticky, used, s }' "$MG_FLOW_FILE")
  read -r MG_PKTS_RX MG_SEEN MG_STICKY MG_GWS_USED MG_GW_FLOWS <<<"$out"
  MG_GW_FLOWS=$(for f in $MG_GW_FLOWS; do k=${f%%:*}; echo -n "$(mg_name "$k"):${f#*:} "; done)
  MG_GW_FLOWS=${MG_GW_FLOWS% }
}

# mg_explain_check N: the appliance's `show ip route explain` for the first N flows names the tunnel
# (vti(k-1)) of the gateway k the capture saw; sets MG_EXPLAIN ("agree/N").
mg_explain_check() {
  local n=$1 i sp k seen agree=0 out
  for ((i = 0; i < n; i++)); do
    sp=$((MG_SPORT + i))
    seen=$(awk -v p=$sp '$1 == p { print $2; exit }' "$MG_FLOW_FILE")
    out=$(appliance_show "show ip route explain $VNET_HOST_IP from $LAN_HOST_IP protocol 17 sport $sp dport $MG_PORT" 0.3 | grep 'selects member')
    k=$(sed -n 's/.*selects member [0-9]* (\([a-z0-9]*\).*vti\([0-9]*\).*/\2/p; s/.*selects member [0-9]* (vti\([0-9]*\).*/\1/p' <<<"$out" | head -1)
    [[ -n "$k" && -n "$seen" && $((k + 1)) -eq $seen ]] && agree=$((agree + 1))
    [[ $i -eq 0 ]] && lab_debug "explain: $out (capture: gateway $seen)"
  done
  MG_EXPLAIN="$agree/$n"
}

# mg_group PREFIX K SPEAKER PROFILE: one multi-gateway group (SPEAKER bird|frr on every gateway).
mg_group() {
  local pre=$1 profile=$4 names=(established ecmp flows-spread flows-sticky) s any=0 k started=0 up=1 t0 t1 reason
  MG_K=$2 MG_SPEAKER=$3
  [[ $MG_K -eq 4 ]] && names+=(cut restore)
  [[ $BRANCH_IMPL == appliance ]] || return 0
  for s in "${names[@]}"; do ipsec_selected "$pre/$s" && any=1; done
  [[ $any -eq 1 ]] || return 0
  MG_IKE=$(profile_ike "$profile") MG_ESP=$(profile_esp "$profile")
  lab_log "bgp group $pre: $MG_K gateway instances (strongSwan + $MG_SPEAKER), maximum-paths $MG_K$([[ $MG_SPEAKER == bird ]] && echo ", BFD ${MG_BFD_MS} ms x 3")"
  CAP_FILE=""
  mg_topo "$MG_K"
  local ok=1
  for ((k = 1; k <= MG_K; k++)); do mg_gw_start $k || { ok=0; break; }; done
  if [[ $ok -eq 1 ]]; then
    APP_CONF_GEN=mg_appliance_conf
    branch_bgp_prepare
    branch_start initiator "$LAB_PSK" "$MG_IKE" "$MG_ESP" && started=1
    APP_CONF_GEN=""
  fi
  if [[ $started -eq 0 ]]; then
    for s in "${names[@]}"; do ipsec_selected "$pre/$s" && ipsec_result "$pre/$s" 1 "$([[ $ok -eq 1 ]] && echo "the appliance did not start" || echo "a gateway did not start")"; done
  else
    t0=$(lab_ms)
    lab_wait 40 mg_all_tunnels && lab_wait 40 mg_all_sessions && lab_wait 20 mg_app_all_up && up=0
    t1=$(lab_ms)
    s="$pre/established"
    if ipsec_selected "$s"; then
      if [[ $up -eq 0 ]]; then
        ipsec_result "$s" 0 "$MG_K tunnels, $MG_K sessions Established, the VNet from $MG_K neighbours $((t1 - t0)) ms after the start"
      else
        reason=""
        for ((k = 1; k <= MG_K; k++)); do
          reason+="$(mg_name $k): tunnel $(sw_child_installed "$(mg_name $k)" && echo up || echo down), session $(mg_established $k && echo up || echo down); "
        done
        ipsec_result "$s" 1 "${reason}appliance neighbours with the VNet: $(mg_app_neighbors_up)"
      fi
    fi
    s="$pre/ecmp"
    if ipsec_selected "$s"; then
      if [[ $up -eq 0 ]] && lab_wait 10 mg_paths_are "$MG_K"; then
        ipsec_result "$s" 0 "show ip route: $(mg_route_line | sed 's/  */ /g')"
      else
        ipsec_result "$s" 1 "$(mg_paths) next hops, expected $MG_K: $(mg_route_line | sed 's/  */ /g')"
      fi
    fi
    if ipsec_selected "$pre/flows-spread" || ipsec_selected "$pre/flows-sticky" || ipsec_selected "$pre/cut"; then
      lab_wait 10 lan_ping_once
      mg_flows "$pre"
      mg_flow_stats
    fi
    local sent=$((MG_FLOWS * MG_ROUNDS * MG_PKTS)) need=$MG_K
    [[ $MG_K -ge 4 ]] && need=3
    s="$pre/flows-spread"
    if ipsec_selected "$s"; then
      reason="$MG_FLOWS UDP flows, flows per gateway: $MG_GW_FLOWS ($MG_GWS_USED of $MG_K gateways), $MG_PKTS_RX/$sent packets at the VNet host; ipsec0 rx meanwhile (BGP/BFD included): $MG_RX"
      if [[ $up -eq 0 && $MG_GWS_USED -ge $need && $MG_PKTS_RX -ge $((sent * 95 / 100)) ]]; then
        ipsec_result "$s" 0 "$reason"
      else
        ipsec_result "$s" 1 "$reason (need >= $need gateways, >= 95% of the packets)"
      fi
    fi
    s="$pre/flows-sticky"
    if ipsec_selected "$s"; then
      mg_explain_check 8
      reason="$MG_STICKY of $MG_SEEN flows through one gateway in all $MG_ROUNDS rounds x $MG_PKTS packets; appliance's explain agrees with the capture for $MG_EXPLAIN flows"
      if [[ $up -eq 0 && $MG_SEEN -eq $MG_FLOWS && $MG_STICKY -eq $MG_SEEN && $MG_EXPLAIN == 8/8 ]]; then
        ipsec_result "$s" 0 "$reason"
      else
        ipsec_result "$s" 1 "$reason"
      fi
    fi
    if [[ $MG_K -eq 4 ]]; then mg_cut_restore "$pre" $up; fi
    branch_stop
  fi
  for ((k = MG_K; k >= 1; k--)); do mg_gw_stop $k; done
  ip -n "$NS_VNET" route replace default via $VNET_GW_IP
}

# mg_cut_restore PREFIX UP: the cut and restore scenarios (K = 4).
mg_cut_restore() {
  local pre=$1 up=$2 c ret out ppid count tx rx gap tail_ok s t0 t1 paths
  local selcut=0 selrest=0
  ipsec_selected "$pre/cut" && selcut=1
  ipsec_selected "$pre/restore" && selrest=1
  [[ $selcut -eq 1 || $selrest -eq 1 ]] || return 0
  c=${MG_PING_GW:-0}
  if [[ $up -ne 0 || $c -lt 1 ]]; then
    [[ $selcut -eq 1 ]] && ipsec_result "$pre/cut" 1 "no sessions, or the ping's gateway not found (capture: ${MG_PING_GW:-none})"
    [[ $selrest -eq 1 ]] && ipsec_result "$pre/restore" 1 "nothing was cut"
    return
  fi
  # the VNet host's return traffic must not go through the cut gateway
  ret=1
  [[ $c -eq 1 ]] && ret=2
  ip -n "$NS_VNET" route replace default via "10.1.0.$ret"
  count=$(awk -v s=$MG_CUT_SECONDS 'BEGIN { printf "%d", s / 0.05 }')
  out="$LAB_RUN/$pre-cut-ping.txt"
  lab_bg "ping-$pre-cut" "$out" ip netns exec "$NS_LAN" ping -D -n -i 0.05 -W 1 -c "$count" $VNET_HOST_IP
  ppid=$LAB_LAST_PID
  sleep 2
  mg_cut "$c"
  lab_log "$pre: cut $(mg_name "$c")'s WAN (it carried the ping; return route via $(mg_name $ret))"
  lab_wait $((MG_CUT_SECONDS + 5)) sh -c "! kill -0 $ppid 2>/dev/null" || lab_stop "$ppid" INT
  wait "$ppid" 2>/dev/null || true
  read -r tx rx < <(awk '/packets transmitted/ { print $1, $4 }' "$out")
  # the largest gap between replies (ms), and whether the last 40 (2 s) all came back
  gap=$(awk '/icmp_seq=/ { t = $1; gsub(/[\[\]]/, "", t); if (pt != "" && (t - pt) * 1000 > g) g = (t - pt) * 1000; pt = t } END { printf "%d", g }' "$out")
  tail_ok=$(awk -v c="$count" '/icmp_seq=/ { split($0, f, "icmp_seq="); split(f[2], g, " "); seen[g[1] + 0] = 1 }
    END { m = 0; for (i = c - 39; i <= c; i++) if (!(i in seen)) m++; print (m == 0 ? "yes" : "no") }' "$out")
  lab_wait 5 mg_paths_are 3
  paths=$(mg_paths)
  if [[ $selcut -eq 1 ]]; then
    s="ping ${rx:-?}/${tx:-?} at 50 ms, longest gap ${gap} ms, last 2 s all answered: $tail_ok; $paths next hops left: $(mg_route_line | sed 's/  */ /g')"
    if [[ -n "${tx:-}" && $tail_ok == yes && $paths -eq 3 && $gap -lt 5000 ]]; then
      ipsec_result "$pre/cut" 0 "$(mg_name "$c") cut: $s"
    else
      ipsec_result "$pre/cut" 1 "$(mg_name "$c") cut: $s"
    fi
  fi
  mg_uncut "$c"
  t0=$(lab_ms)
  if [[ $selrest -eq 1 ]]; then
    if lab_wait 60 mg_restored "$c"; then
      t1=$(lab_ms)
      ipsec_result "$pre/restore" 0 "$(mg_name "$c")'s tunnel, session and 4 next hops back $((t1 - t0)) ms after the cut was lifted; ping ok"
    else
      ipsec_result "$pre/restore" 1 "not back within 60 s: $(mg_name "$c") tunnel $(sw_child_installed "$(mg_name "$c")" && echo up || echo down), session $(mg_established "$c" && echo up || echo down), $(mg_paths) next hops"
    fi
  fi
}

# mg_restored K: gateway K has its tunnel and session again, the appliance 4 next hops, ping ok.
mg_restored() {
  local name
  name=$(mg_name "$1")
  sw_child_installed "$name" || return 1
  ip -n "$(mg_ns "$1")" addr show dev ipsec0 | grep -q "$(mg_inside "$1")" || bgp_inside_addr "$(mg_ns "$1")" "$(mg_inside "$1")"
  mg_established "$1" && mg_paths_are 4 && lan_ping_once
}

# name, gateway instances, speaker
MG_GROUPS=("active-active 2 bird" "active-active-frr 2 frr" "dual-redundancy 4 bird")

# bgp_multi_groups PROFILE: every multi-gateway group.
bgp_multi_groups() {
  local g
  for g in "${MG_GROUPS[@]}"; do mg_group $g "$1"; done
}

# bgp_multi_fail_all REASON: every selected multi-gateway scenario fails with REASON.
bgp_multi_fail_all() {
  local s
  for s in active-active{,-frr}/{established,ecmp,flows-spread,flows-sticky} dual-redundancy/{established,ecmp,flows-spread,flows-sticky,cut,restore}; do
    ipsec_selected "$s" && ipsec_result "$s" 1 "$1"
  done
}
