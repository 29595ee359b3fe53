# tools/lab/lib/profiles.sh: the proposal profiles the interop scenarios run (INTEROP.md, issue 6),
# in strongSwan notation (the appliance's config uses the same names, docs/config.md §4).
#   azure-default     IKE aes256-sha1-modp1024,        ESP aes256gcm16 (no PFS)  Azure's default offer
#   azure-custom      IKE aes256-sha256-modp2048,      ESP aes256-sha256-modp2048 (PFS 14)
#   azure-custom-gcm  IKE aes256gcm16-prfsha256-ecp256, ESP aes256gcm16 (no PFS)
#   alibaba           IKE aes256-sha256-modp2048,      ESP aes256-sha256-modp2048 (PFS 14)
#   aws               IKE aes256-sha256-ecp384,        ESP aes256gcm16 (no PFS)

LAB_PROFILES=(azure-default azure-custom azure-custom-gcm alibaba aws)

# A proposal no profile's gateway accepts (for the proposal-mismatch scenario).
LAB_MISMATCH_IKE=aes128-sha256-modp2048

profile_ike() {
  case $1 in
    azure-default) echo aes256-sha1-modp1024 ;;
    azure-custom | alibaba) echo aes256-sha256-modp2048 ;;
    azure-custom-gcm) echo aes256gcm16-prfsha256-ecp256 ;;
    aws) echo aes256-sha256-ecp384 ;;
    *) return 1 ;;
  esac
}

profile_esp() {
  case $1 in
    azure-default | azure-custom-gcm | aws) echo aes256gcm16 ;;
    azure-custom | alibaba) echo aes256-sha256-modp2048 ;;
    *) return 1 ;;
  esac
}
