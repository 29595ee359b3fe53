# tools/lab/lib/ipsec.sh: the IPsec interop scenarios (issue 6). The gateway is always strongSwan
# (instance "gw"); the branch is the plug-in loaded by the caller (branch-appliance.sh or
# branch-strongswan.sh). For each profile and each branch role (initiator, responder) one group:
#   ping                      LAN host -> VNet host through ESP; the WAN capture shows only UDP 500/4500
#   child-rekey-by-branch     CHILD rekey started by the branch under continuous ping, zero loss
#   child-rekey-by-gateway    the same, started by the gateway
#   ike-rekey-by-branch       IKE rekey started by the branch under continuous ping, zero loss
#   ike-rekey-by-gateway      the same, started by the gateway
#   gateway-restart           charon killed (no DELETE) and restarted: the tunnel comes back by itself
#   wrong-psk                 AUTHENTICATION_FAILED logged by both sides, both still running
#   proposal-mismatch         NO_PROPOSAL_CHOSEN logged by both sides, both still running
#   no-malformed              tshark finds no malformed packet in the group's WAN capture
# Names are <profile>/<role>/<scenario>; "branch" is spelled "appliance" when the appliance runs.

IPSEC_SCENARIOS=(ping child-rekey-by-branch child-rekey-by-gateway ike-rekey-by-branch ike-rekey-by-gateway
  gateway-restart wrong-psk proposal-mismatch no-malformed)
LAB_PSK="lab-psk-5f2c9a71e04b3d68"
LAB_WRONG_PSK="lab-psk-wrong-0000000000"

IPSEC_TOTAL=0 IPSEC_PASSED=0
IPSEC_ONLY=""          # glob on scenario names (--only)
IPSEC_FAILS=()

# Rekey scenarios: continuous ping at 50 ms for 5 s, the rekey 1.5 s in.
PING_INTERVAL=0.05 PING_COUNT=100 REKEY_AFTER=1.5

ipsec_selected() { [[ -z "$IPSEC_ONLY" || "$1" == $IPSEC_ONLY || "$1" == *"$IPSEC_ONLY"* ]]; }

# ipsec_result NAME OK REASON: prints PASS/FAIL and counts.
ipsec_result() {
  local name=$1 ok=$2 reason=${3:-}
  IPSEC_TOTAL=$((IPSEC_TOTAL + 1))
  if [[ $ok -eq 0 ]]; then
    IPSEC_PASSED=$((IPSEC_PASSED + 1))
    echo "PASS $name${reason:+ ($reason)}"
  else
    LAB_FAILED=1
    IPSEC_FAILS+=("$name")
    echo "FAIL $name: $reason [logs: gw $(sw_log gw), branch $(branch_log), pcap ${CAP_FILE:-none}]"
  fi
}

# gw_start_for ROLE PSK IKE ESP: the gateway for a group; it responds to an initiating branch
# (any source address: NAT allowed) or initiates to a responding branch (start_action start, so it
# initiates again after a restart, as a cloud gateway does).
gw_start_for() {
  local role=$1 psk=$2 ike=$3 esp=$4
  sw_start gw "$NS_GW" || return 1
  if [[ $role == responder ]]; then
    sw_conf gw $GW_IP $BR_WAN_IP $GW_IP $BR_WAN_IP "$psk" "$ike" "$esp" initiate restart
  else
    sw_conf gw $GW_IP %any $GW_IP $BR_WAN_IP "$psk" "$ike" "$esp" respond clear
  fi
  sw_load gw || { lab_log "swanctl --load-all failed on the gateway"; return 1; }
  if [[ ${LAB_STATIC_ROUTES:-1} -eq 1 ]]; then sw_route gw $LAN_NET; fi
}

# tunnel_up: both sides have the CHILD SA.
tunnel_up() { sw_child_installed gw && branch_up; }

# rekey_under_ping WHO WHAT: continuous ping, WHO (branch|gateway) rekeys WHAT (child|ike) in the
# middle; sets R_REASON; true when no ping was lost and the gateway's SA ids changed.
rekey_under_ping() {
  local who=$1 what=$2 before after stats tx rx pingout="$LAB_RUN/ping-$$-$RANDOM.txt"
  before=$(sw_ids gw)
  # exactly PING_COUNT echo requests (no -w: with -w, -c counts replies and ping sends more)
  timeout $((PING_COUNT / 10 + 15)) ip netns exec "$NS_LAN" ping -n -q -c $PING_COUNT -i $PING_INTERVAL -W 1 \
    $VNET_HOST_IP >"$pingout" 2>&1 &
  local ppid=$!
  LAB_PIDS+=("$ppid") # stopped by the cleanup too if the run is interrupted here
  sleep $REKEY_AFTER
  if [[ $who == branch ]]; then
    branch_rekey "$what" >/dev/null 2>&1
  elif [[ $what == child ]]; then
    sw_ctl gw --rekey --child net >/dev/null 2>&1
  else
    sw_ctl gw --rekey --ike peer >/dev/null 2>&1
  fi
  local i
  for ((i = 0; i < 200; i++)); do lab_alive $ppid || break; sleep 0.1; done
  lab_stop $ppid
  stats=$(awk '/packets transmitted/ { print $1, $4 }' "$pingout")
  tx=${stats% *} rx=${stats#* }
  # the new SA is in place once the old one is deleted; give the gateway a moment to list it
  lab_wait 5 ipsec_ids_changed "$before" "$what"
  after=$(sw_ids gw)
  R_REASON="ping $rx/$tx, gateway SAs before [$before] after [$after]"
  [[ -n "$tx" && "$tx" -gt 0 && "$tx" == "$rx" ]] || { R_REASON="lost pings: $R_REASON"; return 1; }
  ipsec_ids_changed "$before" "$what" || { R_REASON="no $what rekey seen on the gateway: $R_REASON"; return 1; }
  sw_child_installed gw || { R_REASON="no CHILD SA after the rekey: $R_REASON"; return 1; }
}

# ipsec_ids_changed BEFORE child|ike: the gateway's IKE (or CHILD) unique ids differ from BEFORE.
ipsec_ids_changed() {
  local before=$1 what=$2 now
  now=$(sw_ids gw)
  if [[ $what == ike ]]; then
    [[ -n "${now%%/*}" && "${now%%/*}" != " " && "${now%%/*}" != "${before%%/*}" ]]
  else
    [[ -n "${now#*/}" && "${now#*/}" != " " && "${now#*/}" != "${before#*/}" && "$now" != *"/ " ]]
  fi
}

# ipsec_group PROFILE ROLE: runs one group's scenarios.
ipsec_group() {
  local profile=$1 role=$2 ike esp pre g name ok reason mark_gw mark_br s
  ike=$(profile_ike "$profile") esp=$(profile_esp "$profile")
  pre="$profile/$role"
  local sel=0
  for s in "${IPSEC_SCENARIOS[@]}"; do ipsec_selected "$(ipsec_name "$pre" "$s")" && sel=1; done
  [[ $sel -eq 1 ]] || return 0
  g="${profile}-${role}"
  lab_log "group $pre: IKE $ike, ESP $esp, $(branch_name) as $role"

  if ! gw_start_for "$role" "$LAB_PSK" "$ike" "$esp"; then
    ipsec_fail_all "$pre" "the strongSwan gateway did not start"
    sw_stop gw
    return
  fi
  capture_start "$g"
  local started=0
  branch_start "$role" "$LAB_PSK" "$ike" "$esp" && started=1
  local up=1
  if [[ $started -eq 1 ]]; then
    lab_wait 20 tunnel_up && up=0
  fi

  # ping
  name=$(ipsec_name "$pre" ping)
  if ipsec_selected "$name"; then
    if [[ $started -eq 0 ]]; then
      ipsec_result "$name" 1 "$(branch_name) did not start"
    elif [[ $up -ne 0 ]]; then
      ipsec_result "$name" 1 "no tunnel within 20 s (gateway CHILD installed: $(sw_child_installed gw && echo yes || echo no), branch up: $(branch_up && echo yes || echo no), LAN host pings the branch: $(ip netns exec "$NS_LAN" ping -n -q -c 1 -W 1 $LAN_GW_IP >/dev/null 2>&1 && echo yes || echo no))"
    else
      lan_ping_once || true # first packet may wait for ARP on the LAN
      local st
      st=$(ping_stats "$NS_LAN" $VNET_HOST_IP 5 0.2 8)
      local other esp_n icmp_n
      # tcpdump writes each packet (-U); give the file a moment to hold the pings' ESP packets
      lab_wait 3 pcap_has_at_least "$CAP_FILE" esp 10
      other=$(pcap_count "$CAP_FILE" 'ip && !(udp.port == 500 || udp.port == 4500)')
      esp_n=$(pcap_count "$CAP_FILE" 'esp')
      icmp_n=$(pcap_count "$CAP_FILE" 'icmp')
      reason="ping ${st#* }/${st% *}, WAN capture: $esp_n ESP-in-UDP, $other other IP, $icmp_n ICMP"
      if [[ "$st" == "5 5" && $other -eq 0 && $esp_n -ge 10 && $icmp_n -eq 0 ]]; then
        ipsec_result "$name" 0 "$reason"
      else
        ipsec_result "$name" 1 "$reason"
      fi
    fi
  fi

  # rekeys under continuous ping
  local who what
  for s in child-rekey-by-branch child-rekey-by-gateway ike-rekey-by-branch ike-rekey-by-gateway; do
    name=$(ipsec_name "$pre" "$s")
    ipsec_selected "$name" || continue
    what=${s%%-*} who=${s##*-by-}
    if [[ $up -ne 0 ]] || ! tunnel_up; then
      ipsec_result "$name" 1 "no tunnel to rekey"
      continue
    fi
    if rekey_under_ping "$who" "$what"; then ipsec_result "$name" 0 "$R_REASON"; else ipsec_result "$name" 1 "$R_REASON"; fi
  done

  # gateway restart (crash: SIGKILL, no DELETE reaches the branch)
  name=$(ipsec_name "$pre" gateway-restart)
  if ipsec_selected "$name"; then
    if [[ $up -ne 0 ]]; then
      ipsec_result "$name" 1 "no tunnel before the restart"
    else
      local t0 t1
      sw_kill gw
      sleep 1
      t0=$(lab_ms)
      if ! gw_start_for "$role" "$LAB_PSK" "$ike" "$esp"; then
        ipsec_result "$name" 1 "the gateway did not restart"
      elif lab_wait 45 ipsec_recovered; then
        t1=$(lab_ms)
        if branch_alive; then
          ipsec_result "$name" 0 "tunnel and ping back $(((t1 - t0)))ms after the restart"
        else
          ipsec_result "$name" 1 "the branch died"
        fi
      else
        ipsec_result "$name" 1 "no tunnel/ping within 45 s after the restart (gateway CHILD installed: $(sw_child_installed gw && echo yes || echo no))"
      fi
    fi
  fi

  # wrong PSK, proposal mismatch: the branch restarted with the faulty setting
  ipsec_negative "$pre" wrong-psk "$role" "$LAB_WRONG_PSK" "$ike" "$esp" 'AUTHENTICATION_FAILED|N\(AUTH_FAILED\)'
  ipsec_negative "$pre" proposal-mismatch "$role" "$LAB_PSK" "$LAB_MISMATCH_IKE" "$esp" 'NO_PROPOSAL_CHOSEN|N\(NO_PROP\)'

  branch_diag
  branch_stop
  capture_stop
  name=$(ipsec_name "$pre" no-malformed)
  if ipsec_selected "$name"; then
    local mal total
    mal=$(pcap_count "$CAP_FILE" '_ws.malformed || _ws.expert.severity == error')
    total=$(pcap_count "$CAP_FILE" 'isakmp || esp')
    if [[ $mal -eq 0 && $total -gt 0 ]]; then
      ipsec_result "$name" 0 "$total IKE/ESP packets, none malformed"
    else
      ipsec_result "$name" 1 "$mal malformed of $total IKE/ESP packets (tshark -r $CAP_FILE -Y _ws.malformed)"
    fi
  fi
  sw_stop gw
}

# pcap_has_at_least FILE FILTER N
pcap_has_at_least() { [[ $(pcap_count "$1" "$2") -ge $3 ]]; }

# ipsec_recovered: the gateway has the CHILD SA again and a ping goes through.
ipsec_recovered() { sw_child_installed gw && lan_ping_once; }

# ipsec_negative PREFIX SCENARIO ROLE PSK IKE ESP ERE: restart the branch with a faulty setting,
# let the initiator try (the gateway initiates when the branch is the responder), and expect ERE in
# both logs with both processes still running.
ipsec_negative() {
  local pre=$1 s=$2 role=$3 psk=$4 ike=$5 esp=$6 ere=$7 name mark_gw mark_br gwlog brlog
  name=$(ipsec_name "$pre" "$s")
  ipsec_selected "$name" || return 0
  branch_stop
  # --force: delete at once, without waiting for the (gone) branch to answer the DELETE
  sw_ctl gw --terminate --ike peer --force >/dev/null 2>&1 || true
  lab_wait 5 ipsec_gw_no_sa
  gwlog=$(sw_log gw)
  mark_gw=$(lab_size "$gwlog")
  if ! branch_start "$role" "$psk" "$ike" "$esp"; then
    ipsec_result "$name" 1 "$(branch_name) did not start"
    return
  fi
  brlog=$(branch_log)
  mark_br=0
  if [[ $role == responder ]]; then
    sw_ctl gw --initiate --child net --timeout 10 >/dev/null 2>&1 || true
  fi
  local both=1
  lab_wait 15 ipsec_both_logged "$gwlog" "$mark_gw" "$brlog" "$mark_br" "$ere" && both=0
  local gw_has=no br_has=no
  lab_grep_since "$gwlog" "$mark_gw" "$ere" && gw_has=yes
  lab_grep_since "$brlog" "$mark_br" "$ere" && br_has=yes
  local reason="logged: gateway $gw_has, branch $br_has"
  if [[ $both -ne 0 ]]; then
    ipsec_result "$name" 1 "expected /$ere/ in both logs; $reason"
  elif ! sw_alive gw || ! branch_alive; then
    ipsec_result "$name" 1 "a side died: gateway $(sw_alive gw && echo up || echo dead), branch $(branch_alive && echo up || echo dead)"
  elif lab_grep_since "$gwlog" "$mark_gw" 'CHILD_SA net\{[0-9]+\} established'; then
    ipsec_result "$name" 1 "a CHILD SA was established anyway"
  else
    ipsec_result "$name" 0 "$reason, both running"
  fi
}

ipsec_gw_no_sa() { ! sw_ctl gw --list-sas 2>/dev/null | grep -q 'peer: #'; }

ipsec_both_logged() { lab_grep_since "$1" "$2" "$5" && lab_grep_since "$3" "$4" "$5"; }

# ipsec_name PREFIX SCENARIO: the reported name ("branch" -> "appliance" for the appliance).
ipsec_name() {
  local s=$2
  [[ $BRANCH_IMPL == appliance ]] && s=${s//branch/appliance}
  echo "$1/$s"
}

# ipsec_fail_all PREFIX REASON: every selected scenario of a group fails with REASON.
ipsec_fail_all() {
  local s n
  for s in "${IPSEC_SCENARIOS[@]}"; do
    n=$(ipsec_name "$1" "$s")
    ipsec_selected "$n" && ipsec_result "$n" 1 "$2"
  done
}
