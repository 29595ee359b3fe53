# tools/lab/lib/branch-strongswan.sh: the strongSwan branch (reference implementation of the branch
# role; also what the benchmarks compare the appliance with). Same plug-in functions as
# branch-appliance.sh:
#   branch_prepare                          attach the LAN host (veth), once per topology
#   branch_start ROLE PSK IKE ESP           ROLE initiator|responder|manual; returns non-zero if it did not start
#   branch_stop, branch_alive, branch_up    (branch_up: its CHILD SA is installed)
#   branch_rekey child|ike, branch_initiate (manual role), branch_log (path of its log)
#   branch_diag                             SA state into the logs (end of a group)
#   branch_name                             for messages

BRANCH_IMPL=strongswan
branch_name() { echo "strongSwan branch"; }

branch_prepare() {
  lan_attach_veth
}

branch_start() {
  local role=$1 psk=$2 ike=$3 esp=$4 swrole=respond
  [[ $role == initiator ]] && swrole=initiate
  sw_start br "$NS_BR" || return 1
  sw_conf br $BR_WAN_IP $GW_IP $BR_WAN_IP $GW_IP "$psk" "$ike" "$esp" $swrole restart
  sw_load br || { lab_log "swanctl --load-all failed on the branch (${SW_DIR[br]}/swanctl.log)"; return 1; }
  if [[ ${LAB_STATIC_ROUTES:-1} -eq 1 ]]; then sw_route br $VNET_NET; fi
}

branch_stop() { sw_stop br; }
branch_alive() { sw_alive br; }
branch_up() { sw_child_installed br; }
branch_log() { sw_log br; }

# branch_diag: the branch's SA state into its log directory (end of a group, for failure reports).
branch_diag() { sw_ctl br --list-sas >>"${SW_DIR[br]}/list-sas.txt" 2>&1 || true; }

branch_rekey() {
  case $1 in
    child) sw_ctl br --rekey --child net ;;
    ike) sw_ctl br --rekey --ike peer ;;
  esac
}

# branch_initiate: initiate and wait for the CHILD SA (manual role).
branch_initiate() { sw_ctl br --initiate --child net --timeout 15 >/dev/null 2>&1; }

branch_bgp_prepare() { return 0; }

# BGP (stage 2): BIRD on the branch over the tunnel (lib/bgp.sh), announcing the LAN.
branch_bgp_start() {
  local dir="${SW_DIR[br]}/bird"
  mkdir -p "$dir"
  bgp_inside_addr "$NS_BR" $BGP_BR_INSIDE || return 1
  bird_conf "$dir/bird.conf" $BR_WAN_IP $BGP_BR_AS $BGP_BR_INSIDE $BGP_GW_AS $BGP_GW_INSIDE $DEV_BR_LAN \
    "[ 10.0.0.0/8{8,24} ]" off "$dir/bird.log"
  bird_start br "$NS_BR" "$dir/bird.conf"
}
branch_bgp_stop() { bird_stop br; }
branch_bgp_established() { bird_established br; }
# branch_bgp_prefixes: routes BIRD imported from the gateway.
branch_bgp_prefixes() { bird_ctl br show route count protocol peer 2>/dev/null | awk '/of/ { print $1; f = 1; exit } END { if (!f) print 0 }'; }
branch_bgp_log() { echo "${SW_DIR[br]}/bird/bird.log"; }
