namespace VpnAppliance.Ipsec.Tests.Ike;

/// <summary>
/// A hand-built IKE_SA_INIT request (RFC 7296 §1.2: HDR, SAi1, KEi, Ni, N(NAT_DETECTION_SOURCE_IP),
/// N(NAT_DETECTION_DESTINATION_IP), N(IKEV2_FRAGMENTATION_SUPPORTED)), annotated field by field with the layouts
/// of RFC 7296 §3.1-§3.10. Transform IDs from the IANA IKEv2 registries: ENCR_AES_GCM_16 = 20, PRF_HMAC_SHA2_256 = 5,
/// DH group 19 (256-bit random ECP, RFC 5903) and 14 (2048-bit MODP, RFC 3526). Total length 248.
/// </summary>
internal static class IkeSaInitGolden
{
    public const int Length = 248;

    public static byte[] Build()
    {
        var b = new List<byte>();
        // --- IKE header, §3.1 (28) ---
        b.AddRange(new byte[] { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 }); // IKE SA Initiator's SPI
        b.AddRange(new byte[8]);                                                    // IKE SA Responder's SPI = 0
        b.Add(33);                                                                  // Next Payload: SA
        b.Add(0x20);                                                                // MjVer 2 | MnVer 0
        b.Add(34);                                                                  // Exchange Type: IKE_SA_INIT
        b.Add(0x08);                                                                // Flags: I (initiator), not R
        b.AddRange(new byte[] { 0, 0, 0, 0 });                                      // Message ID 0
        b.AddRange(new byte[] { 0, 0, 0, 248 });                                    // Length 248
        // --- SA payload, §3.3 (48) ---
        b.AddRange(new byte[] { 34, 0x00, 0, 48 });                                 // Next: KE, C=0, Payload Length 48
        b.AddRange(new byte[] { 0, 0, 0, 44 });                                     // Proposal: Last Substruc 0 (last), RESERVED, Length 44
        b.AddRange(new byte[] { 1, 1, 0, 4 });                                      // Proposal Num 1, Protocol ID 1 (IKE), SPI Size 0, 4 transforms
        b.AddRange(new byte[] { 3, 0, 0, 12, 1, 0, 0, 20 });                        // Transform: more (3), Length 12, Type 1 ENCR, ID 20 AES-GCM-16
        b.AddRange(new byte[] { 0x80, 14, 0x01, 0x00 });                            //   Attribute: AF=1 (TV), Type 14 Key Length, 256 bits (§3.3.5)
        b.AddRange(new byte[] { 3, 0, 0, 8, 2, 0, 0, 5 });                          // Transform: more, Length 8, Type 2 PRF, ID 5 HMAC-SHA2-256
        b.AddRange(new byte[] { 3, 0, 0, 8, 4, 0, 0, 19 });                         // Transform: more, Length 8, Type 4 D-H, ID 19 ECP-256
        b.AddRange(new byte[] { 0, 0, 0, 8, 4, 0, 0, 14 });                         // Transform: last (0), Length 8, Type 4 D-H, ID 14 MODP-2048
        // --- KE payload, §3.4 (72) ---
        b.AddRange(new byte[] { 40, 0x00, 0, 72 });                                 // Next: Nonce, Length 8 + 64
        b.AddRange(new byte[] { 0, 19, 0, 0 });                                     // DH Group Num 19, RESERVED
        for (int i = 0; i < 64; i++) b.Add((byte)(0x40 + i));                       // KE data: ECP-256 x | y (RFC 5903 §7)
        // --- Nonce payload, §3.9 (36) ---
        b.AddRange(new byte[] { 41, 0x00, 0, 36 });                                 // Next: Notify, Length 4 + 32
        for (int i = 0; i < 32; i++) b.Add((byte)(0xA0 + i));                       // Nonce data, 32 octets (>= 16, §2.10)
        // --- Notify NAT_DETECTION_SOURCE_IP, §3.10 / §2.23 (28) ---
        b.AddRange(new byte[] { 41, 0x00, 0, 28 });                                 // Next: Notify, Length 8 + 20
        b.AddRange(new byte[] { 0, 0, 0x40, 0x04 });                                // Protocol ID 0, SPI Size 0, type 16388
        for (int i = 0; i < 20; i++) b.Add((byte)(0x10 + i));                       // SHA-1(SPIs | IP | port)
        // --- Notify NAT_DETECTION_DESTINATION_IP (28) ---
        b.AddRange(new byte[] { 41, 0x00, 0, 28 });
        b.AddRange(new byte[] { 0, 0, 0x40, 0x05 });                                // type 16389
        for (int i = 0; i < 20; i++) b.Add((byte)(0x30 + i));
        // --- Notify IKEV2_FRAGMENTATION_SUPPORTED, RFC 7383 §2.3 (8) ---
        b.AddRange(new byte[] { 0, 0x00, 0, 8 });                                   // Next: none, Length 8
        b.AddRange(new byte[] { 0, 0, 0x40, 0x2E });                                // type 16430, no data
        return b.ToArray();
    }
}
