using VpnAppliance.Wire;

namespace VpnAppliance.Bfd
{
    // BFD Control packet, mandatory section (RFC 5880 §4.1), carried in UDP to port 3784 (RFC 5881 §4):
    //
    //    0                   1                   2                   3
    //    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    //   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    //   | Vers |  Diag   |Sta|P|F|C|A|D|M|  Detect Mult  |    Length     |   byte 0..3
    //   |                       My Discriminator                        |   byte 4..7
    //   |                      Your Discriminator                       |   byte 8..11
    //   |                    Desired Min TX Interval                    |   byte 12..15 (microseconds)
    //   |                   Required Min RX Interval                    |   byte 16..19 (microseconds)
    //   |                 Required Min Echo RX Interval                 |   byte 20..23 (microseconds)
    //
    // An optional authentication section follows when A is set; this implementation configures no
    // authentication, so such packets are discarded (§6.8.6) and never emitted. Parse applies every
    // packet-level reception check of §6.8.6 in the RFC's order; the session-level ones (lookup by
    // discriminator or addresses, AdminDown) are the engine's.

    /// <summary>Parsed form of a BFD Control packet (mandatory section only); see the layout above.</summary>
    public struct BfdControlPacket
    {
        /// <summary>Bytes of the mandatory section (RFC 5880 §4.1).</summary>
        public const int MandatoryLength = 24;

        /// <summary>Smallest Length when the A bit is set: 24 + the 2-byte auth type and length (§6.8.6).</summary>
        public const int MinimumAuthenticatedLength = 26;

        /// <summary>The protocol version this implements (§4.1).</summary>
        public const int ProtocolVersion = 1;

        /// <summary>Poll bit in byte 1.</summary>
        public const int PollBit = 0x20;

        /// <summary>Final bit in byte 1.</summary>
        public const int FinalBit = 0x10;

        /// <summary>Control Plane Independent bit in byte 1.</summary>
        public const int ControlPlaneIndependentBit = 0x08;

        /// <summary>Authentication Present bit in byte 1.</summary>
        public const int AuthenticationPresentBit = 0x04;

        /// <summary>Demand bit in byte 1.</summary>
        public const int DemandBit = 0x02;

        /// <summary>Multipoint bit in byte 1.</summary>
        public const int MultipointBit = 0x01;

        /// <summary>Version (3 bits).</summary>
        public int Version;

        /// <summary>Diagnostic (5 bits).</summary>
        public BfdDiag Diag;

        /// <summary>State (2 bits).</summary>
        public BfdState State;

        /// <summary>P: the sender asks for verification of a parameter change (§6.5).</summary>
        public bool Poll;

        /// <summary>F: answer to a Poll.</summary>
        public bool Final;

        /// <summary>C: the sender's BFD does not share fate with its control plane.</summary>
        public bool ControlPlaneIndependent;

        /// <summary>A: an authentication section follows.</summary>
        public bool AuthenticationPresent;

        /// <summary>D: the sender wishes to operate in Demand mode.</summary>
        public bool Demand;

        /// <summary>M: multipoint (reserved, must be 0).</summary>
        public bool Multipoint;

        /// <summary>Detection time multiplier.</summary>
        public int DetectMult;

        /// <summary>Length field: bytes of the whole BFD Control packet.</summary>
        public int Length;

        /// <summary>Sender's discriminator (nonzero).</summary>
        public uint MyDiscriminator;

        /// <summary>The discriminator received from the other side, 0 when unknown.</summary>
        public uint YourDiscriminator;

        /// <summary>Desired Min TX Interval, microseconds.</summary>
        public uint DesiredMinTxInterval;

        /// <summary>Required Min RX Interval, microseconds (0: the sender wants no periodic packets).</summary>
        public uint RequiredMinRxInterval;

        /// <summary>Required Min Echo RX Interval, microseconds (0: no echo).</summary>
        public uint RequiredMinEchoRxInterval;

        /// <summary>
        /// Reads the packet at buf[off .. off + len) (the UDP payload) and applies the packet-level checks of
        /// RFC 5880 §6.8.6 in order: version 1; Length at least 24 (26 with A) and at most the payload; Detect Mult
        /// nonzero; M clear; My Discriminator nonzero; Your Discriminator nonzero unless State is Down or AdminDown;
        /// A clear (no authentication configured). Never throws; on failure <paramref name="packet"/> is default.
        /// </summary>
        public static BfdReceiveResult Parse(byte[] buf, int off, int len, out BfdControlPacket packet)
        {
            packet = default(BfdControlPacket);
            if (!IsValidWindow(buf, off, len))
            {
                return BfdReceiveResult.OutOfRange;
            }

            if (len < MandatoryLength)
            {
                return BfdReceiveResult.Truncated;
            }

            int b0 = buf[off];
            int b1 = buf[off + 1];
            BfdControlPacket p = default(BfdControlPacket);
            p.Version = b0 >> 5;
            p.Diag = (BfdDiag)(b0 & 0x1F);
            p.State = (BfdState)(b1 >> 6);
            p.Poll = (b1 & PollBit) != 0;
            p.Final = (b1 & FinalBit) != 0;
            p.ControlPlaneIndependent = (b1 & ControlPlaneIndependentBit) != 0;
            p.AuthenticationPresent = (b1 & AuthenticationPresentBit) != 0;
            p.Demand = (b1 & DemandBit) != 0;
            p.Multipoint = (b1 & MultipointBit) != 0;
            p.DetectMult = buf[off + 2];
            p.Length = buf[off + 3];
            p.MyDiscriminator = NetworkByteOrder.ReadUInt32(buf, off + 4);
            p.YourDiscriminator = NetworkByteOrder.ReadUInt32(buf, off + 8);
            p.DesiredMinTxInterval = NetworkByteOrder.ReadUInt32(buf, off + 12);
            p.RequiredMinRxInterval = NetworkByteOrder.ReadUInt32(buf, off + 16);
            p.RequiredMinEchoRxInterval = NetworkByteOrder.ReadUInt32(buf, off + 20);

            if (p.Version != ProtocolVersion)
            {
                return BfdReceiveResult.BadVersion;
            }

            if (p.Length < (p.AuthenticationPresent ? MinimumAuthenticatedLength : MandatoryLength) || p.Length > len)
            {
                return BfdReceiveResult.BadLength;
            }

            if (p.DetectMult == 0)
            {
                return BfdReceiveResult.ZeroDetectMult;
            }

            if (p.Multipoint)
            {
                return BfdReceiveResult.Multipoint;
            }

            if (p.MyDiscriminator == 0)
            {
                return BfdReceiveResult.ZeroMyDiscriminator;
            }

            if (p.YourDiscriminator == 0 && p.State != BfdState.Down && p.State != BfdState.AdminDown)
            {
                return BfdReceiveResult.ZeroYourDiscriminator;
            }

            if (p.AuthenticationPresent)
            {
                return BfdReceiveResult.AuthenticationPresent;
            }

            packet = p;
            return BfdReceiveResult.Accepted;
        }

        /// <summary>
        /// Writes the 24-byte mandatory section at buf[off] (Version 1, Length 24, A and M clear whatever the
        /// fields say, since no authentication or multipoint is supported). Returns the bytes written, or 0 when
        /// the window is invalid or shorter than 24 bytes.
        /// </summary>
        public int Emit(byte[] buf, int off, int len)
        {
            if (!IsValidWindow(buf, off, len) || len < MandatoryLength)
            {
                return 0;
            }

            int b1 = ((int)State & 0x3) << 6;
            if (Poll)
            {
                b1 |= PollBit;
            }

            if (Final)
            {
                b1 |= FinalBit;
            }

            if (ControlPlaneIndependent)
            {
                b1 |= ControlPlaneIndependentBit;
            }

            if (Demand)
            {
                b1 |= DemandBit;
            }

            buf[off] = (byte)((ProtocolVersion << 5) | ((int)Diag & 0x1F));
            buf[off + 1] = (byte)b1;
            buf[off + 2] = (byte)DetectMult;
            buf[off + 3] = MandatoryLength;
            NetworkByteOrder.WriteUInt32(buf, off + 4, MyDiscriminator);
            NetworkByteOrder.WriteUInt32(buf, off + 8, YourDiscriminator);
            NetworkByteOrder.WriteUInt32(buf, off + 12, DesiredMinTxInterval);
            NetworkByteOrder.WriteUInt32(buf, off + 16, RequiredMinRxInterval);
            NetworkByteOrder.WriteUInt32(buf, off + 20, RequiredMinEchoRxInterval);
            return MandatoryLength;
        }

        private static bool IsValidWindow(byte[] buf, int off, int len)
        {
            return buf != null && off >= 0 && len >= 0 && off <= buf.Length - len;
        }
    }
}
