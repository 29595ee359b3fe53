using VpnAppliance.Wire;

namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// OPEN message (RFC 4271 §4.2) with its Capabilities (RFC 5492):
    /// <code>
    ///  header | Version 1 | My AS 2 | Hold Time 2 | BGP Identifier 4 | Opt Parm Len 1 | Optional Parameters
    ///  Optional Parameter: Type 1 | Length 1 | Value     (Type 2 = Capabilities: Code 1 | Length 1 | Value, repeated)
    /// </code>
    /// Decode() fills this preallocated object from the bytes (message-format errors only: bad lengths,
    /// unknown optional parameter); OpenCheck judges the content (version, AS, identifier, hold time,
    /// required capabilities). Encode() writes our own OPEN. Known capabilities: Multiprotocol (RFC 4760),
    /// Route Refresh (RFC 2918), Extended Message (RFC 8654, recorded only), Graceful Restart (RFC 4724),
    /// 4-octet AS (RFC 6793), Enhanced Route Refresh (RFC 7313). Others are kept verbatim (code + value) up to
    /// the capacities below, for logs and "show bgp neighbor", and otherwise ignored (RFC 5492 §4).
    /// </summary>
    public sealed class OpenMessage
    {
        /// <summary>BGP version 4 (RFC 4271 §4.2).</summary>
        public const int Version4 = 4;
        /// <summary>Families kept from Multiprotocol / Graceful Restart capabilities.</summary>
        public const int FamilyCapacity = 8;
        /// <summary>Unknown capabilities kept.</summary>
        public const int UnknownCapacity = 8;
        /// <summary>Octets of unknown capability values kept.</summary>
        public const int UnknownBytesCapacity = 256;

        /// <summary>Version field.</summary>
        public int Version;
        /// <summary>My Autonomous System field (2 octets; AS_TRANS when the AS needs 4 octets, RFC 6793 §4.1).</summary>
        public int MyAs;
        /// <summary>Hold Time field in seconds.</summary>
        public int HoldTime;
        /// <summary>BGP Identifier (host order).</summary>
        public uint BgpIdentifier;

        /// <summary>4-octet AS capability present (RFC 6793 §3).</summary>
        public bool HasFourOctetAs;
        /// <summary>The AS carried by the 4-octet AS capability.</summary>
        public uint FourOctetAs;

        /// <summary>Number of Multiprotocol capabilities kept (RFC 4760 §8).</summary>
        public int MultiprotocolCount;
        /// <summary>AFI of each Multiprotocol capability.</summary>
        public readonly int[] MultiprotocolAfi = new int[FamilyCapacity];
        /// <summary>SAFI of each Multiprotocol capability.</summary>
        public readonly int[] MultiprotocolSafi = new int[FamilyCapacity];

        /// <summary>Route Refresh capability present (RFC 2918 §2).</summary>
        public bool RouteRefresh;
        /// <summary>Enhanced Route Refresh capability present (RFC 7313 §3.1).</summary>
        public bool EnhancedRouteRefresh;
        /// <summary>Extended Message capability present (RFC 8654 §3); this speaker does not send it.</summary>
        public bool ExtendedMessage;

        /// <summary>Graceful Restart capability present (RFC 4724 §3).</summary>
        public bool HasGracefulRestart;
        /// <summary>Restart Flags (4 bits: R 0x8, N 0x4).</summary>
        public int RestartFlags;
        /// <summary>Restart Time in seconds (12 bits).</summary>
        public int RestartTime;
        /// <summary>Families listed in the Graceful Restart capability.</summary>
        public int GracefulRestartFamilyCount;
        /// <summary>AFI of each Graceful Restart family.</summary>
        public readonly int[] GracefulRestartAfi = new int[FamilyCapacity];
        /// <summary>SAFI of each Graceful Restart family.</summary>
        public readonly int[] GracefulRestartSafi = new int[FamilyCapacity];
        /// <summary>Flags for Address Family of each Graceful Restart family (F bit 0x80).</summary>
        public readonly int[] GracefulRestartFamilyFlags = new int[FamilyCapacity];

        /// <summary>Unknown capabilities kept.</summary>
        public int UnknownCount;
        /// <summary>Code of each unknown capability.</summary>
        public readonly int[] UnknownCode = new int[UnknownCapacity];
        /// <summary>Offset of each unknown capability's value in UnknownBytes.</summary>
        public readonly int[] UnknownOffset = new int[UnknownCapacity];
        /// <summary>Length of each unknown capability's value.</summary>
        public readonly int[] UnknownLength = new int[UnknownCapacity];
        /// <summary>Values of the unknown capabilities, back to back.</summary>
        public readonly byte[] UnknownBytes = new byte[UnknownBytesCapacity];
        /// <summary>Unknown capabilities not kept because a capacity was full (counted, still ignored).</summary>
        public int UnknownDropped;

        private int unknownBytesUsed;

        /// <summary>Resets every field (before decoding or building an OPEN).</summary>
        public void Clear()
        {
            Version = 0;
            MyAs = 0;
            HoldTime = 0;
            BgpIdentifier = 0;
            HasFourOctetAs = false;
            FourOctetAs = 0;
            MultiprotocolCount = 0;
            RouteRefresh = false;
            EnhancedRouteRefresh = false;
            ExtendedMessage = false;
            HasGracefulRestart = false;
            RestartFlags = 0;
            RestartTime = 0;
            GracefulRestartFamilyCount = 0;
            UnknownCount = 0;
            UnknownDropped = 0;
            unknownBytesUsed = 0;
        }

        /// <summary>The speaker's AS: the 4-octet AS capability when present, else My AS (RFC 6793 §4.1).</summary>
        public uint EffectiveAs { get { return HasFourOctetAs ? FourOctetAs : (uint)MyAs; } }

        /// <summary>True when a Multiprotocol capability lists afi/safi.</summary>
        public bool HasMultiprotocol(int afi, int safi)
        {
            for (int i = 0; i < MultiprotocolCount; i++)
            {
                if (MultiprotocolAfi[i] == afi && MultiprotocolSafi[i] == safi)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Adds a Multiprotocol capability (building our OPEN); false when FamilyCapacity is full.</summary>
        public bool AddMultiprotocol(int afi, int safi)
        {
            if (MultiprotocolCount >= FamilyCapacity)
            {
                return false;
            }

            MultiprotocolAfi[MultiprotocolCount] = afi;
            MultiprotocolSafi[MultiprotocolCount] = safi;
            MultiprotocolCount++;
            return true;
        }

        /// <summary>Adds a Graceful Restart family (building our OPEN); false when FamilyCapacity is full.</summary>
        public bool AddGracefulRestartFamily(int afi, int safi, int flags)
        {
            if (GracefulRestartFamilyCount >= FamilyCapacity)
            {
                return false;
            }

            GracefulRestartAfi[GracefulRestartFamilyCount] = afi;
            GracefulRestartSafi[GracefulRestartFamilyCount] = safi;
            GracefulRestartFamilyFlags[GracefulRestartFamilyCount] = flags;
            GracefulRestartFamilyCount++;
            return true;
        }

        /// <summary>
        /// Decodes the OPEN at buffer[offset..offset+length) (header included, checked by the reassembler).
        /// Returns OpenError.None, or the format error with <paramref name="error"/> set: OPEN Message Error /
        /// Unsupported Optional Parameter (RFC 4271 §6.2) for a parameter type other than Capabilities, OPEN
        /// Message Error / Unspecific for lengths that overrun or do not add up, or a known capability of the
        /// wrong length.
        /// </summary>
        public OpenError Decode(byte[] buffer, int offset, int length, ErrorNotification error)
        {
            Clear();
            error.Clear();
            if (buffer == null || offset < 0 || length < BgpMessageHeader.MinOpenLength || offset > buffer.Length - length)
            {
                error.Set(NotificationCode.MessageHeaderError, NotificationCode.HeaderBadMessageLength);
                return OpenError.MalformedOptionalParameters;
            }

            int p = offset + BgpMessageHeader.Length;
            Version = buffer[p];
            MyAs = NetworkByteOrder.ReadUInt16(buffer, p + 1);
            HoldTime = NetworkByteOrder.ReadUInt16(buffer, p + 3);
            BgpIdentifier = NetworkByteOrder.ReadUInt32(buffer, p + 5);
            int optLength = buffer[p + 9];
            int q = p + 10;
            int end = offset + length;
            if (q + optLength != end)
            {
                // Opt Parm Len must account for the rest of the message exactly (RFC 4271 §4.2).
                error.Set(NotificationCode.OpenMessageError, NotificationCode.Unspecific);
                return OpenError.MalformedOptionalParameters;
            }

            while (q < end)
            {
                if (end - q < 2)
                {
                    error.Set(NotificationCode.OpenMessageError, NotificationCode.Unspecific);
                    return OpenError.MalformedOptionalParameters;
                }

                int type = buffer[q];
                int paramLength = buffer[q + 1];
                int value = q + 2;
                if (paramLength > end - value)
                {
                    error.Set(NotificationCode.OpenMessageError, NotificationCode.Unspecific);
                    return OpenError.MalformedOptionalParameters;
                }

                if (type != CapabilityCode.OptionalParameterCapabilities)
                {
                    // RFC 4271 §6.2: an unrecognized Optional Parameter -> Unsupported Optional Parameter.
                    error.Set(NotificationCode.OpenMessageError, NotificationCode.OpenUnsupportedOptionalParameter, buffer, q, 2 + paramLength);
                    return OpenError.UnsupportedOptionalParameter;
                }

                if (!DecodeCapabilities(buffer, value, value + paramLength, error))
                {
                    return OpenError.MalformedCapability;
                }

                q = value + paramLength;
            }

            return OpenError.None;
        }

        private bool DecodeCapabilities(byte[] buffer, int p, int end, ErrorNotification error)
        {
            while (p < end)
            {
                if (end - p < 2)
                {
                    error.Set(NotificationCode.OpenMessageError, NotificationCode.Unspecific);
                    return false;
                }

                int code = buffer[p];
                int capLength = buffer[p + 1];
                int v = p + 2;
                if (capLength > end - v)
                {
                    error.Set(NotificationCode.OpenMessageError, NotificationCode.Unspecific);
                    return false;
                }

                bool ok = true;
                switch (code)
                {
                    case CapabilityCode.Multiprotocol:
                        // RFC 4760 §8: AFI 2, Reserved 1, SAFI 1.
                        ok = capLength == 4;
                        if (ok && MultiprotocolCount < FamilyCapacity && !HasMultiprotocol(NetworkByteOrder.ReadUInt16(buffer, v), buffer[v + 3]))
                        {
                            AddMultiprotocol(NetworkByteOrder.ReadUInt16(buffer, v), buffer[v + 3]);
                        }

                        break;
                    case CapabilityCode.RouteRefresh:
                        RouteRefresh = true;
                        break;
                    case CapabilityCode.EnhancedRouteRefresh:
                        EnhancedRouteRefresh = true;
                        break;
                    case CapabilityCode.ExtendedMessage:
                        ExtendedMessage = true;
                        break;
                    case CapabilityCode.FourOctetAs:
                        // RFC 6793 §3: the value is the 4-octet AS.
                        ok = capLength == 4;
                        if (ok)
                        {
                            HasFourOctetAs = true;
                            FourOctetAs = NetworkByteOrder.ReadUInt32(buffer, v);
                        }

                        break;
                    case CapabilityCode.GracefulRestart:
                        // RFC 4724 §3: Restart Flags (4 bits) + Restart Time (12 bits), then 4 octets per family.
                        ok = capLength >= 2 && (capLength - 2) % 4 == 0;
                        if (ok)
                        {
                            HasGracefulRestart = true;
                            GracefulRestartFamilyCount = 0;
                            int word = NetworkByteOrder.ReadUInt16(buffer, v);
                            RestartFlags = word >> 12;
                            RestartTime = word & 0x0FFF;
                            for (int f = v + 2; f + 4 <= v + capLength; f += 4)
                            {
                                AddGracefulRestartFamily(NetworkByteOrder.ReadUInt16(buffer, f), buffer[f + 2], buffer[f + 3]);
                            }
                        }

                        break;
                    default:
                        KeepUnknown(code, buffer, v, capLength);
                        break;
                }

                if (!ok)
                {
                    // A known capability whose length contradicts its definition: the OPEN is malformed.
                    error.Set(NotificationCode.OpenMessageError, NotificationCode.Unspecific, buffer, p, 2 + capLength);
                    return false;
                }

                p = v + capLength;
            }

            return true;
        }

        private void KeepUnknown(int code, byte[] buffer, int offset, int length)
        {
            if (UnknownCount >= UnknownCapacity || length > UnknownBytesCapacity - unknownBytesUsed)
            {
                UnknownDropped++;
                return;
            }

            UnknownCode[UnknownCount] = code;
            UnknownOffset[UnknownCount] = unknownBytesUsed;
            UnknownLength[UnknownCount] = length;
            System.Array.Copy(buffer, offset, UnknownBytes, unknownBytesUsed, length);
            unknownBytesUsed += length;
            UnknownCount++;
        }

        /// <summary>
        /// Writes this OPEN at buffer[offset] (the caller sized it: at most 29 + 255 octets); returns the length.
        /// With HasFourOctetAs, My AS is FourOctetAs when it fits 2 octets, else AS_TRANS (RFC 6793 §4.1), and
        /// MyAs is ignored. All capabilities go into one Capabilities parameter (RFC 5492 §4). Unknown
        /// capabilities kept from a decode are not re-sent.
        /// </summary>
        public int Encode(byte[] buffer, int offset)
        {
            int p = offset + BgpMessageHeader.Length;
            int myAs = MyAs;
            if (HasFourOctetAs)
            {
                myAs = FourOctetAs <= 0xFFFF ? (int)FourOctetAs : (int)CapabilityCode.AsTrans;
            }

            buffer[p] = (byte)(Version == 0 ? Version4 : Version);
            NetworkByteOrder.WriteUInt16(buffer, p + 1, myAs);
            NetworkByteOrder.WriteUInt16(buffer, p + 3, HoldTime);
            NetworkByteOrder.WriteUInt32(buffer, p + 5, BgpIdentifier);
            int parm = p + 10;
            int c = parm + 2;
            for (int i = 0; i < MultiprotocolCount; i++)
            {
                buffer[c] = CapabilityCode.Multiprotocol;
                buffer[c + 1] = 4;
                NetworkByteOrder.WriteUInt16(buffer, c + 2, MultiprotocolAfi[i]);
                buffer[c + 4] = 0;
                buffer[c + 5] = (byte)MultiprotocolSafi[i];
                c += 6;
            }

            if (RouteRefresh)
            {
                buffer[c] = CapabilityCode.RouteRefresh;
                buffer[c + 1] = 0;
                c += 2;
            }

            if (EnhancedRouteRefresh)
            {
                buffer[c] = CapabilityCode.EnhancedRouteRefresh;
                buffer[c + 1] = 0;
                c += 2;
            }

            if (HasGracefulRestart)
            {
                buffer[c] = CapabilityCode.GracefulRestart;
                buffer[c + 1] = (byte)(2 + 4 * GracefulRestartFamilyCount);
                NetworkByteOrder.WriteUInt16(buffer, c + 2, ((RestartFlags & 0xF) << 12) | (RestartTime & 0x0FFF));
                int f = c + 4;
                for (int i = 0; i < GracefulRestartFamilyCount; i++)
                {
                    NetworkByteOrder.WriteUInt16(buffer, f, GracefulRestartAfi[i]);
                    buffer[f + 2] = (byte)GracefulRestartSafi[i];
                    buffer[f + 3] = (byte)GracefulRestartFamilyFlags[i];
                    f += 4;
                }

                c = f;
            }

            if (HasFourOctetAs)
            {
                buffer[c] = CapabilityCode.FourOctetAs;
                buffer[c + 1] = 4;
                NetworkByteOrder.WriteUInt32(buffer, c + 2, FourOctetAs);
                c += 6;
            }

            int capabilitiesLength = c - (parm + 2);
            int optLength;
            if (capabilitiesLength == 0)
            {
                optLength = 0;
                c = parm;
            }
            else
            {
                buffer[parm] = CapabilityCode.OptionalParameterCapabilities;
                buffer[parm + 1] = (byte)capabilitiesLength;
                optLength = capabilitiesLength + 2;
            }

            buffer[p + 9] = (byte)optLength;
            int length = c - offset;
            BgpMessageHeader.Write(buffer, offset, length, BgpMessageType.Open);
            return length;
        }
    }
}
