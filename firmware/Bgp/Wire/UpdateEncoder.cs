using VpnAppliance.Wire;

namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// Writes a ParsedUpdate as one or more UPDATE messages (RFC 4271 §4.3) into caller buffers. Flow:
    /// <code>
    ///   Begin(update, session)
    ///   while ((n = Next(buffer, offset)) &gt; 0) send buffer[offset..offset+n)
    /// </code>
    /// When everything fits one message (4096 octets, RFC 4271 §4.1) it is one message. Otherwise it is split
    /// by section, each message as full as possible: Withdrawn Routes; then MP_UNREACH_NLRI; then the path
    /// attributes with NLRI; then MP_REACH_NLRI with the path attributes. Attribute order: MP_UNREACH_NLRI and
    /// MP_REACH_NLRI first (RFC 7606 §5.1), the rest by ascending type code (RFC 4271 §5), kept verbatim
    /// attributes interleaved by their type. On a 2-octet session (RFC 6793 §4.2.2) 4-octet ASes become
    /// AS_TRANS in AS_PATH/AGGREGATOR and AS4_PATH/AS4_AGGREGATOR carry the real ones. LOCAL_PREF is never sent
    /// to an external peer (RFC 4271 §5.1.5). Nothing is allocated.
    /// </summary>
    public sealed class UpdateEncoder
    {
        /// <summary>Next() result when the path attributes leave no room for a single prefix.</summary>
        public const int TooLarge = -1;

        private const int PhaseSingle = 0;
        private const int PhaseWithdrawn = 1;
        private const int PhaseMpUnreach = 2;
        private const int PhaseNlri = 3;
        private const int PhaseMpReach = 4;
        private const int PhaseDone = 5;

        /// <summary>MP_REACH_NLRI fixed part for IPv4 unicast: AFI 2, SAFI 1, Next Hop Length 1, Next Hop 4, Reserved 1 (RFC 4760 §3).</summary>
        private const int MpReachFixed = 9;
        /// <summary>MP_UNREACH_NLRI fixed part: AFI 2, SAFI 1 (RFC 4760 §4).</summary>
        private const int MpUnreachFixed = 3;

        private ParsedUpdate update;
        private SessionParameters session;
        private int phase = PhaseDone;
        private int cursor;

        /// <summary>Starts encoding <paramref name="source"/> for a session with <paramref name="parameters"/>.</summary>
        public void Begin(ParsedUpdate source, SessionParameters parameters)
        {
            update = source;
            session = parameters;
            cursor = 0;
            phase = SingleMessageLength() <= MaxLength ? PhaseSingle : PhaseWithdrawn;
        }

        private int MaxLength { get { return session.MaxMessageLength; } }

        /// <summary>True when Next() has nothing more to write.</summary>
        public bool Done { get { return phase == PhaseDone; } }

        /// <summary>
        /// Writes the next message at buffer[offset] (the buffer must hold MaxMessageLength octets from offset);
        /// returns its length, 0 when all is written, TooLarge when the attributes alone fill a message.
        /// </summary>
        public int Next(byte[] buffer, int offset)
        {
            while (phase != PhaseDone)
            {
                int n;
                switch (phase)
                {
                    case PhaseSingle:
                        n = WriteSingle(buffer, offset);
                        phase = PhaseDone;
                        return n;
                    case PhaseWithdrawn:
                        n = WriteWithdrawn(buffer, offset);
                        break;
                    case PhaseMpUnreach:
                        n = WriteMpUnreach(buffer, offset);
                        break;
                    case PhaseNlri:
                        n = WriteNlri(buffer, offset);
                        break;
                    default:
                        n = WriteMpReach(buffer, offset);
                        break;
                }

                if (n != 0)
                {
                    return n;
                }

                phase++;
                cursor = 0;
            }

            return 0;
        }

        /// <summary>Writes an End-of-RIB marker for IPv4 unicast: an UPDATE with no routes and no attributes (RFC 4724 §2). Returns 23.</summary>
        public static int EncodeEndOfRib(byte[] buffer, int offset)
        {
            BgpMessageHeader.Write(buffer, offset, BgpMessageHeader.MinUpdateLength, BgpMessageType.Update);
            NetworkByteOrder.WriteUInt16(buffer, offset + 19, 0);
            NetworkByteOrder.WriteUInt16(buffer, offset + 21, 0);
            return BgpMessageHeader.MinUpdateLength;
        }

        // ---- sizes ----

        private static int HeaderFor(int valueLength)
        {
            return valueLength > 255 ? 4 : 3;
        }

        private int SectionBytes(byte section)
        {
            int n = 0;
            for (int i = 0; i < update.PrefixCount; i++)
            {
                if (update.PrefixSectionOf[i] == section)
                {
                    n += Ipv4PrefixCodec.EncodedLength(update.PrefixLength[i]);
                }
            }

            return n;
        }

        private int SingleMessageLength()
        {
            int total = BgpMessageHeader.MinUpdateLength + SectionBytes(PrefixSection.Withdrawn) + SectionBytes(PrefixSection.Nlri);
            if (update.MpUnreachCount > 0)
            {
                int v = MpUnreachFixed + SectionBytes(PrefixSection.MpUnreach);
                total += HeaderFor(v) + v;
            }

            if (update.MpReachCount > 0)
            {
                int v = MpReachFixed + SectionBytes(PrefixSection.MpReach);
                total += HeaderFor(v) + v;
            }

            if (update.AnnouncedCount > 0)
            {
                total += WriteCommon(null, 0, update.NlriCount > 0);
            }

            return total;
        }

        // ---- messages ----

        private int WriteSingle(byte[] b, int offset)
        {
            int p = offset + BgpMessageHeader.Length;
            int wStart = p + 2;
            int q = wStart;
            for (int i = 0; i < update.PrefixCount; i++)
            {
                if (update.PrefixSectionOf[i] == PrefixSection.Withdrawn)
                {
                    q += Ipv4PrefixCodec.Write(b, q, update.PrefixAddress[i], update.PrefixLength[i]);
                }
            }

            NetworkByteOrder.WriteUInt16(b, p, q - wStart);
            int aLen = q;
            int aStart = q + 2;
            q = aStart;
            if (update.MpUnreachCount > 0)
            {
                q = WriteMpUnreachAttribute(b, q, 0, int.MaxValue, out _);
            }

            if (update.MpReachCount > 0)
            {
                q = WriteMpReachAttribute(b, q, 0, int.MaxValue, out _);
            }

            if (update.AnnouncedCount > 0)
            {
                q = WriteCommon(b, q, update.NlriCount > 0);
            }

            NetworkByteOrder.WriteUInt16(b, aLen, q - aStart);
            for (int i = 0; i < update.PrefixCount; i++)
            {
                if (update.PrefixSectionOf[i] == PrefixSection.Nlri)
                {
                    q += Ipv4PrefixCodec.Write(b, q, update.PrefixAddress[i], update.PrefixLength[i]);
                }
            }

            return Finish(b, offset, q);
        }

        private int Finish(byte[] b, int offset, int end)
        {
            int length = end - offset;
            BgpMessageHeader.Write(b, offset, length, BgpMessageType.Update);
            return length;
        }

        private int NextInSection(int from, byte section)
        {
            for (int i = from; i < update.PrefixCount; i++)
            {
                if (update.PrefixSectionOf[i] == section)
                {
                    return i;
                }
            }

            return -1;
        }

        private int WriteWithdrawn(byte[] b, int offset)
        {
            int first = NextInSection(cursor, PrefixSection.Withdrawn);
            if (first < 0)
            {
                return 0;
            }

            int p = offset + BgpMessageHeader.Length;
            int wStart = p + 2;
            int limit = offset + MaxLength - 2;
            int q = wStart;
            int i = first;
            while (i >= 0 && q + Ipv4PrefixCodec.EncodedLength(update.PrefixLength[i]) <= limit)
            {
                q += Ipv4PrefixCodec.Write(b, q, update.PrefixAddress[i], update.PrefixLength[i]);
                i = NextInSection(i + 1, PrefixSection.Withdrawn);
            }

            cursor = i < 0 ? update.PrefixCount : i;
            NetworkByteOrder.WriteUInt16(b, p, q - wStart);
            NetworkByteOrder.WriteUInt16(b, q, 0);
            return Finish(b, offset, q + 2);
        }

        private int WriteMpUnreach(byte[] b, int offset)
        {
            if (NextInSection(cursor, PrefixSection.MpUnreach) < 0)
            {
                return 0;
            }

            int p = offset + BgpMessageHeader.Length;
            NetworkByteOrder.WriteUInt16(b, p, 0);
            int aStart = p + 4;
            int next;
            int q = WriteMpUnreachAttribute(b, aStart, cursor, offset + MaxLength, out next);
            cursor = next;
            NetworkByteOrder.WriteUInt16(b, p + 2, q - aStart);
            return Finish(b, offset, q);
        }

        private int WriteNlri(byte[] b, int offset)
        {
            int first = NextInSection(cursor, PrefixSection.Nlri);
            if (first < 0)
            {
                return 0;
            }

            int p = offset + BgpMessageHeader.Length;
            int aStart = p + 4;
            if (aStart + WriteCommon(null, 0, true) + Ipv4PrefixCodec.EncodedLength(update.PrefixLength[first]) > offset + MaxLength)
            {
                // Measured first: the attributes must never be written past the message bound.
                phase = PhaseDone;
                return TooLarge;
            }

            NetworkByteOrder.WriteUInt16(b, p, 0);
            int q = WriteCommon(b, aStart, true);
            NetworkByteOrder.WriteUInt16(b, p + 2, q - aStart);
            int limit = offset + MaxLength;
            int i = first;
            int written = 0;
            while (i >= 0 && q + Ipv4PrefixCodec.EncodedLength(update.PrefixLength[i]) <= limit)
            {
                q += Ipv4PrefixCodec.Write(b, q, update.PrefixAddress[i], update.PrefixLength[i]);
                written++;
                i = NextInSection(i + 1, PrefixSection.Nlri);
            }

            if (written == 0)
            {
                phase = PhaseDone;
                return TooLarge;
            }

            cursor = i < 0 ? update.PrefixCount : i;
            return Finish(b, offset, q);
        }

        private int WriteMpReach(byte[] b, int offset)
        {
            if (NextInSection(cursor, PrefixSection.MpReach) < 0)
            {
                return 0;
            }

            int p = offset + BgpMessageHeader.Length;
            NetworkByteOrder.WriteUInt16(b, p, 0);
            int aStart = p + 4;
            int common = WriteCommon(null, 0, false);
            int first = NextInSection(cursor, PrefixSection.MpReach);
            int next;
            int q = WriteMpReachAttribute(b, aStart, cursor, offset + MaxLength - common, out next);
            if (next == first)
            {
                phase = PhaseDone;
                return TooLarge;
            }

            cursor = next;
            q = WriteCommon(b, q, false);
            NetworkByteOrder.WriteUInt16(b, p + 2, q - aStart);
            return Finish(b, offset, q);
        }

        // ---- attributes ----

        /// <summary>Writes an attribute header (Extended Length when the value exceeds 255); null buffer measures.</summary>
        private static int WriteHeader(byte[] b, int p, int flags, int type, int valueLength)
        {
            if (valueLength > 255)
            {
                if (b != null)
                {
                    b[p] = (byte)(flags | PathAttributeType.FlagExtendedLength);
                    b[p + 1] = (byte)type;
                    NetworkByteOrder.WriteUInt16(b, p + 2, valueLength);
                }

                return p + 4;
            }

            if (b != null)
            {
                b[p] = (byte)(flags & ~PathAttributeType.FlagExtendedLength);
                b[p + 1] = (byte)type;
                b[p + 2] = (byte)valueLength;
            }

            return p + 3;
        }

        /// <summary>
        /// Writes MP_UNREACH_NLRI with the section's prefixes from pool index <paramref name="from"/> while the
        /// attribute ends at or before <paramref name="limit"/>; <paramref name="next"/> is the first prefix left out.
        /// </summary>
        private int WriteMpUnreachAttribute(byte[] b, int p, int from, int limit, out int next)
        {
            return WriteMpAttribute(b, p, from, limit, PrefixSection.MpUnreach, out next);
        }

        private int WriteMpReachAttribute(byte[] b, int p, int from, int limit, out int next)
        {
            return WriteMpAttribute(b, p, from, limit, PrefixSection.MpReach, out next);
        }

        private int WriteMpAttribute(byte[] b, int p, int from, int limit, byte section, out int next)
        {
            bool reach = section == PrefixSection.MpReach;
            int fixedLength = reach ? MpReachFixed : MpUnreachFixed;
            // Size first: a 4-octet header whenever the value may pass 255 octets.
            int valueLength = fixedLength;
            int i = NextInSection(from, section);
            int headerLength = 4;
            while (i >= 0)
            {
                int add = Ipv4PrefixCodec.EncodedLength(update.PrefixLength[i]);
                if (p + headerLength + valueLength + add > limit)
                {
                    break;
                }

                valueLength += add;
                i = NextInSection(i + 1, section);
            }

            next = i < 0 ? update.PrefixCount : i;
            int q = WriteHeader(b, p, PathAttributeType.FlagOptional, reach ? PathAttributeType.MpReachNlri : PathAttributeType.MpUnreachNlri, valueLength);
            NetworkByteOrder.WriteUInt16(b, q, CapabilityCode.AfiIpv4);
            b[q + 2] = CapabilityCode.SafiUnicast;
            q += 3;
            if (reach)
            {
                b[q] = 4;
                uint nextHop = update.Has(PathAttributeType.MpReachNlri) || update.MpNextHop != 0 ? update.MpNextHop : update.NextHop;
                NetworkByteOrder.WriteUInt32(b, q + 1, nextHop);
                b[q + 5] = 0;
                q += 6;
            }

            for (int k = NextInSection(from, section); k >= 0 && k < next; k = NextInSection(k + 1, section))
            {
                q += Ipv4PrefixCodec.Write(b, q, update.PrefixAddress[k], update.PrefixLength[k]);
            }

            return q;
        }

        /// <summary>
        /// Writes the path attributes other than MP_REACH/MP_UNREACH at b[p] in type order (NEXT_HOP only when
        /// <paramref name="nextHop"/>); with b == null only measures. Returns the end position.
        /// </summary>
        private int WriteCommon(byte[] b, int p, bool nextHop)
        {
            int t = 0;
            if (update.Has(PathAttributeType.Origin))
            {
                p = Flush(b, p, ref t, PathAttributeType.Origin);
                p = WriteHeader(b, p, PathAttributeType.FlagTransitive, PathAttributeType.Origin, 1);
                if (b != null) b[p] = (byte)update.Origin;
                p += 1;
            }

            if (update.Has(PathAttributeType.AsPath))
            {
                p = Flush(b, p, ref t, PathAttributeType.AsPath);
                p = WriteAsPath(b, p, PathAttributeType.FlagTransitive, PathAttributeType.AsPath, session.FourOctetAs ? 4 : 2, false);
            }

            if (nextHop && update.Has(PathAttributeType.NextHop))
            {
                p = Flush(b, p, ref t, PathAttributeType.NextHop);
                p = WriteUInt32Attribute(b, p, PathAttributeType.FlagTransitive, PathAttributeType.NextHop, update.NextHop);
            }

            if (update.Has(PathAttributeType.MultiExitDisc))
            {
                p = Flush(b, p, ref t, PathAttributeType.MultiExitDisc);
                p = WriteUInt32Attribute(b, p, PathAttributeType.FlagOptional, PathAttributeType.MultiExitDisc, update.Med);
            }

            if (update.Has(PathAttributeType.LocalPref) && !session.External)
            {
                p = Flush(b, p, ref t, PathAttributeType.LocalPref);
                p = WriteUInt32Attribute(b, p, PathAttributeType.FlagTransitive, PathAttributeType.LocalPref, update.LocalPref);
            }

            if (update.Has(PathAttributeType.AtomicAggregate))
            {
                p = Flush(b, p, ref t, PathAttributeType.AtomicAggregate);
                p = WriteHeader(b, p, PathAttributeType.FlagTransitive, PathAttributeType.AtomicAggregate, 0);
            }

            bool aggregator4 = false;
            if (update.Has(PathAttributeType.Aggregator))
            {
                p = Flush(b, p, ref t, PathAttributeType.Aggregator);
                int flags = PathAttributeType.FlagOptional | PathAttributeType.FlagTransitive;
                if (session.FourOctetAs)
                {
                    p = WriteHeader(b, p, flags, PathAttributeType.Aggregator, 8);
                    if (b != null)
                    {
                        NetworkByteOrder.WriteUInt32(b, p, update.AggregatorAs);
                        NetworkByteOrder.WriteUInt32(b, p + 4, update.AggregatorAddress);
                    }

                    p += 8;
                }
                else
                {
                    aggregator4 = update.AggregatorAs > 0xFFFF;
                    p = WriteHeader(b, p, flags, PathAttributeType.Aggregator, 6);
                    if (b != null)
                    {
                        NetworkByteOrder.WriteUInt16(b, p, aggregator4 ? (int)CapabilityCode.AsTrans : (int)update.AggregatorAs);
                        NetworkByteOrder.WriteUInt32(b, p + 2, update.AggregatorAddress);
                    }

                    p += 6;
                }
            }

            if (update.Has(PathAttributeType.Communities) && update.CommunityCount > 0)
            {
                p = Flush(b, p, ref t, PathAttributeType.Communities);
                p = WriteHeader(b, p, PathAttributeType.FlagOptional | PathAttributeType.FlagTransitive, PathAttributeType.Communities, update.CommunityCount * 4);
                for (int i = 0; i < update.CommunityCount; i++)
                {
                    if (b != null) NetworkByteOrder.WriteUInt32(b, p, update.Communities[i]);
                    p += 4;
                }
            }

            if (!session.FourOctetAs && update.Has(PathAttributeType.AsPath) && update.AsPath.NeedsFourOctets())
            {
                // RFC 6793 §4.2.2: the real path for 2-octet peers, confederation segments left out.
                p = Flush(b, p, ref t, PathAttributeType.As4Path);
                p = WriteAsPath(b, p, PathAttributeType.FlagOptional | PathAttributeType.FlagTransitive, PathAttributeType.As4Path, 4, true);
            }

            if (aggregator4)
            {
                p = Flush(b, p, ref t, PathAttributeType.As4Aggregator);
                p = WriteHeader(b, p, PathAttributeType.FlagOptional | PathAttributeType.FlagTransitive, PathAttributeType.As4Aggregator, 8);
                if (b != null)
                {
                    NetworkByteOrder.WriteUInt32(b, p, update.AggregatorAs);
                    NetworkByteOrder.WriteUInt32(b, p + 4, update.AggregatorAddress);
                }

                p += 8;
            }

            if (update.Has(PathAttributeType.LargeCommunity) && update.LargeCommunityCount > 0)
            {
                p = Flush(b, p, ref t, PathAttributeType.LargeCommunity);
                p = WriteHeader(b, p, PathAttributeType.FlagOptional | PathAttributeType.FlagTransitive, PathAttributeType.LargeCommunity, update.LargeCommunityCount * 12);
                for (int i = 0; i < update.LargeCommunityCount * 3; i++)
                {
                    if (b != null) NetworkByteOrder.WriteUInt32(b, p, update.LargeCommunities[i]);
                    p += 4;
                }
            }

            return Flush(b, p, ref t, 256);
        }

        /// <summary>Copies kept attributes whose type is below <paramref name="beforeType"/>, in stored order, from index t on.</summary>
        private int Flush(byte[] b, int p, ref int t, int beforeType)
        {
            while (t < update.TransitCount && update.TransitType[t] < beforeType)
            {
                int length = update.TransitAttributeLength(t);
                if (b != null)
                {
                    System.Array.Copy(update.TransitBytes, update.TransitOffset[t], b, p, length);
                }

                p += length;
                t++;
            }

            return p;
        }

        private static int WriteUInt32Attribute(byte[] b, int p, int flags, int type, uint value)
        {
            p = WriteHeader(b, p, flags, type, 4);
            if (b != null)
            {
                NetworkByteOrder.WriteUInt32(b, p, value);
            }

            return p + 4;
        }

        /// <summary>Writes update.AsPath as AS_PATH or AS4_PATH, splitting segments longer than 255 ASes.</summary>
        private int WriteAsPath(byte[] b, int p, int flags, int type, int width, bool skipConfed)
        {
            AsPath path = update.AsPath;
            int valueLength = 0;
            for (int s = 0; s < path.SegmentCount; s++)
            {
                if (skipConfed && IsConfed(path.SegmentType[s]))
                {
                    continue;
                }

                int n = path.SegmentLength[s];
                int chunks = (n + AsPath.MaxSegmentLength - 1) / AsPath.MaxSegmentLength;
                valueLength += 2 * chunks + n * width;
            }

            p = WriteHeader(b, p, flags, type, valueLength);
            for (int s = 0; s < path.SegmentCount; s++)
            {
                int segmentType = path.SegmentType[s];
                if (skipConfed && IsConfed(segmentType))
                {
                    continue;
                }

                int first = path.SegmentStart[s];
                int left = path.SegmentLength[s];
                while (left > 0)
                {
                    int chunk = left < AsPath.MaxSegmentLength ? left : AsPath.MaxSegmentLength;
                    if (b != null)
                    {
                        b[p] = (byte)segmentType;
                        b[p + 1] = (byte)chunk;
                    }

                    p += 2;
                    for (int i = 0; i < chunk; i++)
                    {
                        uint asn = path.Asns[first + i];
                        if (b != null)
                        {
                            if (width == 4)
                            {
                                NetworkByteOrder.WriteUInt32(b, p, asn);
                            }
                            else
                            {
                                NetworkByteOrder.WriteUInt16(b, p, asn > 0xFFFF ? (int)CapabilityCode.AsTrans : (int)asn);
                            }
                        }

                        p += width;
                    }

                    first += chunk;
                    left -= chunk;
                }
            }

            return p;
        }

        private static bool IsConfed(int segmentType)
        {
            return segmentType == AsPath.AsConfedSequence || segmentType == AsPath.AsConfedSet;
        }
    }
}
