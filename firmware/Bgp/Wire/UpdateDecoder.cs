using VpnAppliance.Wire;

namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// Decodes an UPDATE (RFC 4271 §4.3) into a ParsedUpdate and judges it by RFC 7606. Flow:
    /// <code>
    ///  Withdrawn Routes Length -> Withdrawn Routes (syntax errors: session reset, RFC 7606 §3 k, §5.3)
    ///  Total Path Attribute Length (overrun of the message: session reset, RFC 4271 §6.3)
    ///  attributes one by one: header/length overrun -> §4 (treat-as-withdraw, or session reset when MP NLRI
    ///    may hide behind it); duplicates -> §3 g; flags -> §3 c; per-attribute rules -> §7.x
    ///  NLRI (syntax errors: session reset, §5.3) located by the Total Path Attribute Length
    ///  mandatory attributes present when routes are announced (§3 d)
    ///  2-octet sessions: AS_PATH + AS4_PATH / AGGREGATOR + AS4_AGGREGATOR rebuilt (RFC 6793 §4.2.3)
    ///  eBGP first-AS and confederation checks (RFC 4271 §6.3, RFC 7606 §7.2)
    ///  End-of-RIB detection (RFC 4724 §2)
    /// </code>
    /// Every error is recorded with its action in the UpdateDecision; the strongest wins (§3 j). Prefixes are
    /// collected even when the attributes are bad, because treat-as-withdraw needs them (§2). No exception
    /// escapes: every read is preceded by a length check. Nothing is allocated per message.
    /// </summary>
    public sealed class UpdateDecoder
    {
        private readonly AsPath as4Path;
        private readonly AsPath merged;
        private readonly uint[] seen = new uint[8];

        private bool hasAs4Path;
        private bool hasAs4Aggregator;
        private uint as4AggregatorAs;
        private uint as4AggregatorAddress;
        private bool overrun;
        private bool mpReachSeen;
        private bool mpUnreachSeen;
        private int mpUnreachAfi;
        private int mpUnreachSafi;
        private bool mpUnreachEmpty;
        private int attributeCount;

        /// <summary>Creates a decoder whose scratch AS paths match <paramref name="capacities"/> (defaults when null).</summary>
        public UpdateDecoder(UpdateCapacities capacities)
        {
            if (capacities == null)
            {
                capacities = new UpdateCapacities();
            }

            as4Path = new AsPath(capacities.AsPathAsns, capacities.AsPathSegments);
            merged = new AsPath(capacities.AsPathAsns, capacities.AsPathSegments);
        }

        /// <summary>
        /// Decodes the UPDATE at buffer[offset..offset+length) (header included, checked by the reassembler) for a
        /// session with <paramref name="session"/>'s parameters. Fills <paramref name="update"/> and
        /// <paramref name="decision"/>; returns decision.Action.
        /// </summary>
        public Rfc7606Action Decode(byte[] buffer, int offset, int length, SessionParameters session, ParsedUpdate update, UpdateDecision decision)
        {
            update.Clear();
            decision.Clear();
            ResetScratch();
            if (buffer == null || offset < 0 || length < BgpMessageHeader.MinUpdateLength || offset > buffer.Length - length)
            {
                decision.Notification.Set(NotificationCode.MessageHeaderError, NotificationCode.HeaderBadMessageLength);
                decision.Add(UpdateErrorReason.WithdrawnRoutesLengthOverrun, Rfc7606Action.SessionReset, 0);
                return decision.Action;
            }

            int end = offset + length;
            int p = offset + BgpMessageHeader.Length;

            // RFC 4271 §4.3 / §6.3: Withdrawn Routes Length + Total Path Attribute Length + 23 must fit the message.
            int withdrawnLength = NetworkByteOrder.ReadUInt16(buffer, p);
            p += 2;
            if (withdrawnLength > end - p - 2)
            {
                Reset(decision, UpdateErrorReason.WithdrawnRoutesLengthOverrun, 0, NotificationCode.UpdateMalformedAttributeList, null, 0, 0);
                return decision.Action;
            }

            int status = Ipv4PrefixCodec.Read(buffer, p, p + withdrawnLength, update, PrefixSection.Withdrawn);
            if (status != Ipv4PrefixCodec.Ok)
            {
                ResetForPrefixes(decision, status, UpdateErrorReason.WithdrawnRoutesMalformed);
                return decision.Action;
            }

            p += withdrawnLength;
            int attributesLength = NetworkByteOrder.ReadUInt16(buffer, p);
            p += 2;
            if (attributesLength > end - p)
            {
                Reset(decision, UpdateErrorReason.TotalAttributeLengthOverrun, 0, NotificationCode.UpdateMalformedAttributeList, null, 0, 0);
                return decision.Action;
            }

            int attributesEnd = p + attributesLength;
            if (!DecodeAttributes(buffer, p, attributesEnd, session, update, decision))
            {
                return decision.Action;
            }

            if (overrun)
            {
                // RFC 7606 §4: the Total Path Attribute Length locates the NLRI; treat-as-withdraw needs every NLRI,
                // so an MP attribute possibly hidden after the bad one forces session reset (RFC 7606 §3, §5.1).
                if (!session.MultiprotocolIpv4 || (mpReachSeen && mpUnreachSeen))
                {
                    decision.Add(UpdateErrorReason.AttributeLengthOverrun, Rfc7606Action.TreatAsWithdraw, 0);
                }
                else
                {
                    Reset(decision, UpdateErrorReason.AttributeLengthOverrunNlriUnlocatable, 0, NotificationCode.UpdateMalformedAttributeList, null, 0, 0);
                    return decision.Action;
                }
            }

            status = Ipv4PrefixCodec.Read(buffer, attributesEnd, end, update, PrefixSection.Nlri);
            if (status != Ipv4PrefixCodec.Ok)
            {
                ResetForPrefixes(decision, status, UpdateErrorReason.NlriMalformed);
                return decision.Action;
            }

            // RFC 7606 §3 d: well-known mandatory attributes when routes are announced (NEXT_HOP only for the
            // NLRI field; MP_REACH carries its own next hop, RFC 4760 §3).
            if (update.AnnouncedCount > 0)
            {
                if (!Seen(PathAttributeType.Origin))
                {
                    decision.Add(UpdateErrorReason.MissingOrigin, Rfc7606Action.TreatAsWithdraw, PathAttributeType.Origin);
                }

                if (!Seen(PathAttributeType.AsPath))
                {
                    decision.Add(UpdateErrorReason.MissingAsPath, Rfc7606Action.TreatAsWithdraw, PathAttributeType.AsPath);
                }

                if (update.NlriCount > 0 && !Seen(PathAttributeType.NextHop))
                {
                    decision.Add(UpdateErrorReason.MissingNextHop, Rfc7606Action.TreatAsWithdraw, PathAttributeType.NextHop);
                }
            }

            if (!session.FourOctetAs)
            {
                RebuildFourOctetPath(update, decision);
            }

            if (update.Has(PathAttributeType.AsPath) && session.External)
            {
                if (update.AsPath.HasConfedSegments())
                {
                    decision.Add(UpdateErrorReason.AsPathConfedFromExternal, Rfc7606Action.TreatAsWithdraw, PathAttributeType.AsPath);
                }
                else if (session.EnforceFirstAs && session.PeerAs != 0 && update.AnnouncedCount > 0
                    && update.AsPath.FirstAs() != session.PeerAs)
                {
                    decision.Add(UpdateErrorReason.AsPathFirstAsMismatch, Rfc7606Action.TreatAsWithdraw, PathAttributeType.AsPath);
                }
            }

            // RFC 4724 §2: End-of-RIB is an UPDATE with nothing in it (IPv4 unicast), or one whose only attribute
            // is an empty MP_UNREACH_NLRI (its AFI/SAFI).
            if (length == BgpMessageHeader.MinUpdateLength)
            {
                update.EndOfRib = true;
                update.EndOfRibAfi = CapabilityCode.AfiIpv4;
                update.EndOfRibSafi = CapabilityCode.SafiUnicast;
            }
            else if (withdrawnLength == 0 && attributesEnd == end && attributeCount == 1 && mpUnreachSeen && mpUnreachEmpty)
            {
                update.EndOfRib = true;
                update.EndOfRibAfi = mpUnreachAfi;
                update.EndOfRibSafi = mpUnreachSafi;
            }

            return decision.Action;
        }

        private void ResetScratch()
        {
            for (int i = 0; i < seen.Length; i++)
            {
                seen[i] = 0;
            }

            hasAs4Path = false;
            hasAs4Aggregator = false;
            as4AggregatorAs = 0;
            as4AggregatorAddress = 0;
            overrun = false;
            mpReachSeen = false;
            mpUnreachSeen = false;
            mpUnreachAfi = 0;
            mpUnreachSafi = 0;
            mpUnreachEmpty = false;
            attributeCount = 0;
            as4Path.Clear();
        }

        private bool Seen(int type)
        {
            return (seen[type >> 5] & (1u << (type & 31))) != 0;
        }

        private void MarkSeen(int type)
        {
            seen[type >> 5] |= 1u << (type & 31);
        }

        private static void Reset(UpdateDecision decision, UpdateErrorReason reason, int attributeType, int subcode, byte[] data, int dataOffset, int dataLength)
        {
            if (!decision.Notification.IsSet)
            {
                decision.Notification.Set(NotificationCode.UpdateMessageError, subcode, data, dataOffset, dataLength);
            }

            decision.Add(reason, Rfc7606Action.SessionReset, attributeType);
        }

        private static void ResetOutOfResources(UpdateDecision decision, int attributeType)
        {
            // A local capacity, not the peer's fault: Cease / Out of Resources (RFC 4486 §4).
            if (!decision.Notification.IsSet)
            {
                decision.Notification.Set(NotificationCode.Cease, NotificationCode.CeaseOutOfResources);
            }

            decision.Add(UpdateErrorReason.PrefixCapacityExceeded, Rfc7606Action.SessionReset, attributeType);
        }

        private static void ResetForPrefixes(UpdateDecision decision, int status, UpdateErrorReason malformedReason)
        {
            if (status == Ipv4PrefixCodec.Full)
            {
                ResetOutOfResources(decision, 0);
            }
            else
            {
                // RFC 4271 §6.3: a syntactically incorrect NLRI field -> Invalid Network Field.
                Reset(decision, malformedReason, 0, NotificationCode.UpdateInvalidNetworkField, null, 0, 0);
            }
        }

        /// <summary>Walks the path attributes; false when the UPDATE ends in session reset (decision filled).</summary>
        private bool DecodeAttributes(byte[] buffer, int p, int end, SessionParameters session, ParsedUpdate update, UpdateDecision decision)
        {
            while (p < end)
            {
                int remaining = end - p;
                // RFC 7606 §4, second case: fewer octets than an attribute header (3, or 4 with Extended Length).
                if (remaining < 3)
                {
                    overrun = true;
                    return true;
                }

                int flags = buffer[p];
                int type = buffer[p + 1];
                bool extended = (flags & PathAttributeType.FlagExtendedLength) != 0;
                int headerLength = extended ? 4 : 3;
                if (remaining < headerLength)
                {
                    overrun = true;
                    return true;
                }

                int valueLength = extended ? NetworkByteOrder.ReadUInt16(buffer, p + 2) : buffer[p + 2];
                if (valueLength > remaining - headerLength)
                {
                    // RFC 7606 §4, first case: the attribute runs past the Total Path Attribute Length.
                    overrun = true;
                    return true;
                }

                int value = p + headerLength;
                int attributeLength = headerLength + valueLength;
                attributeCount++;
                if (Seen(type))
                {
                    // RFC 7606 §3 g: MP_REACH/MP_UNREACH twice -> Malformed Attribute List; others: keep the first.
                    if (type == PathAttributeType.MpReachNlri || type == PathAttributeType.MpUnreachNlri)
                    {
                        Reset(decision, type == PathAttributeType.MpReachNlri ? UpdateErrorReason.DuplicateMpReach : UpdateErrorReason.DuplicateMpUnreach,
                            type, NotificationCode.UpdateMalformedAttributeList, null, 0, 0);
                        return false;
                    }

                    decision.Add(UpdateErrorReason.DuplicateAttribute, Rfc7606Action.AttributeDiscard, type);
                    p = value + valueLength;
                    continue;
                }

                MarkSeen(type);
                if (!DecodeAttribute(buffer, p, attributeLength, flags, type, value, valueLength, session, update, decision))
                {
                    return false;
                }

                p = value + valueLength;
            }

            return true;
        }

        private bool DecodeAttribute(byte[] buffer, int start, int attributeLength, int flags, int type, int v, int length,
            SessionParameters session, ParsedUpdate update, UpdateDecision decision)
        {
            int expected = PathAttributeType.ExpectedFlags(type);
            if (expected < 0)
            {
                return DecodeUnrecognized(buffer, start, attributeLength, flags, type, update, decision);
            }

            if (type == PathAttributeType.LocalPref && session.External)
            {
                // RFC 7606 §7.5 (RFC 4271 §5.1.5): LOCAL_PREF from an external peer is ignored, whatever its form.
                decision.Add(UpdateErrorReason.LocalPrefFromExternal, Rfc7606Action.AttributeDiscard, type);
                return true;
            }

            if ((flags & (PathAttributeType.FlagOptional | PathAttributeType.FlagTransitive)) != expected)
            {
                // RFC 7606 §3 c: Optional/Transitive bits in conflict -> treat-as-withdraw. MP attributes are still
                // parsed so that their prefixes can be withdrawn.
                decision.Add(UpdateErrorReason.AttributeFlagsConflict, Rfc7606Action.TreatAsWithdraw, type);
                if (type != PathAttributeType.MpReachNlri && type != PathAttributeType.MpUnreachNlri)
                {
                    return true;
                }
            }

            switch (type)
            {
                case PathAttributeType.Origin:
                    // RFC 7606 §7.1: length 1, value 0..2.
                    if (length != 1 || buffer[v] > PathAttributeType.OriginIncomplete)
                    {
                        decision.Add(UpdateErrorReason.OriginMalformed, Rfc7606Action.TreatAsWithdraw, type);
                    }
                    else
                    {
                        update.SetOrigin(buffer[v]);
                    }

                    return true;

                case PathAttributeType.AsPath:
                {
                    int result = DecodeAsPath(buffer, v, length, session.FourOctetAs ? 4 : 2, update.AsPath);
                    if (result == Ipv4PrefixCodec.Malformed)
                    {
                        update.AsPath.Clear();
                        decision.Add(UpdateErrorReason.AsPathMalformed, Rfc7606Action.TreatAsWithdraw, type);
                    }
                    else if (result == Ipv4PrefixCodec.Full)
                    {
                        update.AsPath.Clear();
                        decision.Add(UpdateErrorReason.AsPathCapacityExceeded, Rfc7606Action.TreatAsWithdraw, type);
                    }
                    else
                    {
                        update.SetPresent(type);
                    }

                    return true;
                }

                case PathAttributeType.NextHop:
                    // RFC 7606 §7.3: length 4; a next hop that is not a unicast host address is semantically wrong.
                    if (length != 4)
                    {
                        decision.Add(UpdateErrorReason.NextHopMalformed, Rfc7606Action.TreatAsWithdraw, type);
                        return true;
                    }

                    update.SetNextHop(NetworkByteOrder.ReadUInt32(buffer, v));
                    if (!IsUnicastHost(update.NextHop) || (session.LocalAddress != 0 && update.NextHop == session.LocalAddress))
                    {
                        decision.Add(UpdateErrorReason.NextHopInvalid, Rfc7606Action.TreatAsWithdraw, type);
                    }

                    return true;

                case PathAttributeType.MultiExitDisc:
                    // RFC 7606 §7.4.
                    if (length != 4)
                    {
                        decision.Add(UpdateErrorReason.MedMalformed, Rfc7606Action.TreatAsWithdraw, type);
                    }
                    else
                    {
                        update.SetMed(NetworkByteOrder.ReadUInt32(buffer, v));
                    }

                    return true;

                case PathAttributeType.LocalPref:
                    // RFC 7606 §7.5 (internal peers; external ones were handled above).
                    if (length != 4)
                    {
                        decision.Add(UpdateErrorReason.LocalPrefMalformed, Rfc7606Action.TreatAsWithdraw, type);
                    }
                    else
                    {
                        update.SetLocalPref(NetworkByteOrder.ReadUInt32(buffer, v));
                    }

                    return true;

                case PathAttributeType.AtomicAggregate:
                    // RFC 7606 §7.6: length 0, else attribute discard.
                    if (length != 0)
                    {
                        decision.Add(UpdateErrorReason.AtomicAggregateMalformed, Rfc7606Action.AttributeDiscard, type);
                    }
                    else
                    {
                        update.SetPresent(type);
                    }

                    return true;

                case PathAttributeType.Aggregator:
                {
                    // RFC 7606 §7.7: 6 octets on 2-octet sessions, 8 on 4-octet sessions, else attribute discard.
                    int width = session.FourOctetAs ? 4 : 2;
                    if (length != width + 4)
                    {
                        decision.Add(UpdateErrorReason.AggregatorMalformed, Rfc7606Action.AttributeDiscard, type);
                        return true;
                    }

                    uint asn = width == 4 ? NetworkByteOrder.ReadUInt32(buffer, v) : NetworkByteOrder.ReadUInt16(buffer, v);
                    update.SetAggregator(asn, NetworkByteOrder.ReadUInt32(buffer, v + width));
                    return true;
                }

                case PathAttributeType.Communities:
                    // RFC 7606 §7.8: a non-zero multiple of 4.
                    if (length == 0 || (length & 3) != 0)
                    {
                        decision.Add(UpdateErrorReason.CommunitiesMalformed, Rfc7606Action.TreatAsWithdraw, type);
                        return true;
                    }

                    if (length / 4 > update.Communities.Length)
                    {
                        decision.Add(UpdateErrorReason.CommunityCapacityExceeded, Rfc7606Action.TreatAsWithdraw, type);
                        return true;
                    }

                    for (int i = 0; i < length; i += 4)
                    {
                        update.AddCommunity(NetworkByteOrder.ReadUInt32(buffer, v + i));
                    }

                    return true;

                case PathAttributeType.OriginatorId:
                    // RFC 7606 §7.9; route reflection is not used here, so a valid one is dropped (non-transitive).
                    if (length != 4)
                    {
                        decision.Add(UpdateErrorReason.OriginatorIdMalformed, Rfc7606Action.TreatAsWithdraw, type);
                    }

                    return true;

                case PathAttributeType.ClusterList:
                    // RFC 7606 §7.10.
                    if (length == 0 || (length & 3) != 0)
                    {
                        decision.Add(UpdateErrorReason.ClusterListMalformed, Rfc7606Action.TreatAsWithdraw, type);
                    }

                    return true;

                case PathAttributeType.MpReachNlri:
                    return DecodeMpReach(buffer, start, attributeLength, v, length, session, update, decision);

                case PathAttributeType.MpUnreachNlri:
                    return DecodeMpUnreach(buffer, start, attributeLength, v, length, session, update, decision);

                case PathAttributeType.ExtendedCommunities:
                    // RFC 7606 §7.14: a non-zero multiple of 8; kept verbatim to pass on (recognized: no Partial bit).
                    if (length == 0 || (length & 7) != 0)
                    {
                        decision.Add(UpdateErrorReason.ExtendedCommunitiesMalformed, Rfc7606Action.TreatAsWithdraw, type);
                    }
                    else if (!update.AddTransit(buffer, start, attributeLength, 0))
                    {
                        decision.Add(UpdateErrorReason.TransitCapacityExceeded, Rfc7606Action.AttributeDiscard, type);
                    }

                    return true;

                case PathAttributeType.As4Path:
                {
                    if (session.FourOctetAs)
                    {
                        decision.Add(UpdateErrorReason.As4AttributeOnFourOctetSession, Rfc7606Action.AttributeDiscard, type);
                        return true;
                    }

                    // RFC 6793 §6: a malformed AS4_PATH (or one with confederation segments) is discarded.
                    int result = DecodeAsPath(buffer, v, length, 4, as4Path);
                    if (result == Ipv4PrefixCodec.Ok && !as4Path.HasConfedSegments())
                    {
                        hasAs4Path = true;
                    }
                    else
                    {
                        as4Path.Clear();
                        decision.Add(UpdateErrorReason.As4PathMalformed, Rfc7606Action.AttributeDiscard, type);
                    }

                    return true;
                }

                case PathAttributeType.As4Aggregator:
                    if (session.FourOctetAs)
                    {
                        decision.Add(UpdateErrorReason.As4AttributeOnFourOctetSession, Rfc7606Action.AttributeDiscard, type);
                    }
                    else if (length != 8)
                    {
                        decision.Add(UpdateErrorReason.As4AggregatorMalformed, Rfc7606Action.AttributeDiscard, type);
                    }
                    else
                    {
                        hasAs4Aggregator = true;
                        as4AggregatorAs = NetworkByteOrder.ReadUInt32(buffer, v);
                        as4AggregatorAddress = NetworkByteOrder.ReadUInt32(buffer, v + 4);
                    }

                    return true;

                case PathAttributeType.LargeCommunity:
                    // RFC 8092 §6: a non-zero multiple of 12, else treat-as-withdraw.
                    if (length == 0 || length % 12 != 0)
                    {
                        decision.Add(UpdateErrorReason.LargeCommunityMalformed, Rfc7606Action.TreatAsWithdraw, type);
                        return true;
                    }

                    if (length / 12 > update.LargeCommunities.Length / 3)
                    {
                        decision.Add(UpdateErrorReason.CommunityCapacityExceeded, Rfc7606Action.TreatAsWithdraw, type);
                        return true;
                    }

                    for (int i = 0; i < length; i += 12)
                    {
                        update.AddLargeCommunity(NetworkByteOrder.ReadUInt32(buffer, v + i), NetworkByteOrder.ReadUInt32(buffer, v + i + 4),
                            NetworkByteOrder.ReadUInt32(buffer, v + i + 8));
                    }

                    return true;
            }

            return true;
        }

        private static bool DecodeUnrecognized(byte[] buffer, int start, int attributeLength, int flags, int type, ParsedUpdate update, UpdateDecision decision)
        {
            if ((flags & PathAttributeType.FlagOptional) == 0)
            {
                // RFC 4271 §6.3: Unrecognized Well-known Attribute, Data = the attribute.
                Reset(decision, UpdateErrorReason.UnrecognizedWellKnownAttribute, type, NotificationCode.UpdateUnrecognizedWellKnownAttribute,
                    buffer, start, attributeLength);
                return false;
            }

            if ((flags & PathAttributeType.FlagTransitive) != 0)
            {
                // RFC 4271 §5: pass on an unrecognized optional transitive attribute with the Partial bit set.
                if (!update.AddTransit(buffer, start, attributeLength, PathAttributeType.FlagPartial))
                {
                    decision.Add(UpdateErrorReason.TransitCapacityExceeded, Rfc7606Action.AttributeDiscard, type);
                }
            }
            else
            {
                // RFC 4271 §5: an unrecognized optional non-transitive attribute is quietly ignored.
                decision.UnrecognizedNonTransitiveDropped++;
            }

            return true;
        }

        private Rfc7606Action MpAction(SessionParameters session)
        {
            return session.AfiSafiDisableOnMpError ? Rfc7606Action.AfiSafiDisable : Rfc7606Action.SessionReset;
        }

        private bool MpError(UpdateDecision decision, SessionParameters session, UpdateErrorReason reason, int type, byte[] buffer, int start, int attributeLength)
        {
            // RFC 4760 §7 / RFC 7606 §7.11-7.12: Optional Attribute Error, Data = the attribute.
            if (!decision.Notification.IsSet)
            {
                decision.Notification.Set(NotificationCode.UpdateMessageError, NotificationCode.UpdateOptionalAttributeError, buffer, start, attributeLength);
            }

            decision.Add(reason, MpAction(session), type);
            return false;
        }

        private bool DecodeMpReach(byte[] buffer, int start, int attributeLength, int v, int length, SessionParameters session, ParsedUpdate update, UpdateDecision decision)
        {
            int type = PathAttributeType.MpReachNlri;
            mpReachSeen = true;
            // RFC 4760 §3: AFI 2, SAFI 1, Length of Next Hop 1, Next Hop, Reserved 1, NLRI.
            if (length < 5)
            {
                return MpError(decision, session, UpdateErrorReason.MpReachMalformed, type, buffer, start, attributeLength);
            }

            int afi = NetworkByteOrder.ReadUInt16(buffer, v);
            int safi = buffer[v + 2];
            int nextHopLength = buffer[v + 3];
            if (afi != CapabilityCode.AfiIpv4 || safi != CapabilityCode.SafiUnicast || !session.MultiprotocolIpv4)
            {
                decision.Add(UpdateErrorReason.MpFamilyNotNegotiated, Rfc7606Action.AttributeDiscard, type);
                return true;
            }

            // RFC 7606 §7.11: the next-hop length must suit the family (4 for IPv4 without RFC 8950).
            if (nextHopLength != 4 || 4 + nextHopLength + 1 > length)
            {
                return MpError(decision, session, UpdateErrorReason.MpReachMalformed, type, buffer, start, attributeLength);
            }

            uint nextHop = NetworkByteOrder.ReadUInt32(buffer, v + 4);
            int status = Ipv4PrefixCodec.Read(buffer, v + 4 + nextHopLength + 1, v + length, update, PrefixSection.MpReach);
            if (status == Ipv4PrefixCodec.Full)
            {
                ResetOutOfResources(decision, type);
                return false;
            }

            if (status == Ipv4PrefixCodec.Malformed)
            {
                return MpError(decision, session, UpdateErrorReason.MpReachNlriMalformed, type, buffer, start, attributeLength);
            }

            update.MpNextHop = nextHop;
            update.SetPresent(type);
            if (!IsUnicastHost(nextHop) || (session.LocalAddress != 0 && nextHop == session.LocalAddress))
            {
                decision.Add(UpdateErrorReason.NextHopInvalid, Rfc7606Action.TreatAsWithdraw, type);
            }

            return true;
        }

        private bool DecodeMpUnreach(byte[] buffer, int start, int attributeLength, int v, int length, SessionParameters session, ParsedUpdate update, UpdateDecision decision)
        {
            int type = PathAttributeType.MpUnreachNlri;
            mpUnreachSeen = true;
            // RFC 4760 §4: AFI 2, SAFI 1, Withdrawn Routes.
            if (length < 3)
            {
                return MpError(decision, session, UpdateErrorReason.MpUnreachMalformed, type, buffer, start, attributeLength);
            }

            mpUnreachAfi = NetworkByteOrder.ReadUInt16(buffer, v);
            mpUnreachSafi = buffer[v + 2];
            mpUnreachEmpty = length == 3;
            if (mpUnreachAfi != CapabilityCode.AfiIpv4 || mpUnreachSafi != CapabilityCode.SafiUnicast || !session.MultiprotocolIpv4)
            {
                if (!mpUnreachEmpty)
                {
                    decision.Add(UpdateErrorReason.MpFamilyNotNegotiated, Rfc7606Action.AttributeDiscard, type);
                }

                return true;
            }

            int status = Ipv4PrefixCodec.Read(buffer, v + 3, v + length, update, PrefixSection.MpUnreach);
            if (status == Ipv4PrefixCodec.Full)
            {
                ResetOutOfResources(decision, type);
                return false;
            }

            if (status == Ipv4PrefixCodec.Malformed)
            {
                return MpError(decision, session, UpdateErrorReason.MpUnreachNlriMalformed, type, buffer, start, attributeLength);
            }

            update.SetPresent(type);
            return true;
        }

        /// <summary>
        /// Reads AS_PATH segments of <paramref name="width"/>-octet ASes. RFC 7606 §7.2: malformed when a segment
        /// overruns, one octet dangles, a segment is empty, or its type is unknown.
        /// Returns Ipv4PrefixCodec.Ok / Malformed / Full (the same three outcomes).
        /// </summary>
        private static int DecodeAsPath(byte[] buffer, int v, int length, int width, AsPath path)
        {
            path.Clear();
            int p = v;
            int end = v + length;
            while (p < end)
            {
                if (end - p < 2)
                {
                    return Ipv4PrefixCodec.Malformed;
                }

                int type = buffer[p];
                int count = buffer[p + 1];
                if (!AsPath.IsValidSegmentType(type) || count == 0 || count * width > end - p - 2)
                {
                    return Ipv4PrefixCodec.Malformed;
                }

                if (!path.BeginSegment(type))
                {
                    return Ipv4PrefixCodec.Full;
                }

                int q = p + 2;
                for (int i = 0; i < count; i++)
                {
                    uint asn = width == 4 ? NetworkByteOrder.ReadUInt32(buffer, q) : NetworkByteOrder.ReadUInt16(buffer, q);
                    if (!path.Append(asn))
                    {
                        return Ipv4PrefixCodec.Full;
                    }

                    q += width;
                }

                p = q;
            }

            return Ipv4PrefixCodec.Ok;
        }

        /// <summary>
        /// RFC 6793 §4.2.3 on a 2-octet session: AGGREGATOR = AS4_AGGREGATOR when AGGREGATOR carries AS_TRANS
        /// (when it carries another AS, both AS4 attributes are ignored); then, when AS_PATH has at least as many
        /// ASes as AS4_PATH (path-length counting), the path is the leading AS_PATH ASes that AS4_PATH lacks
        /// followed by AS4_PATH.
        /// </summary>
        private void RebuildFourOctetPath(ParsedUpdate update, UpdateDecision decision)
        {
            bool useAs4Path = hasAs4Path;
            if (hasAs4Aggregator && update.Has(PathAttributeType.Aggregator))
            {
                if (update.AggregatorAs != CapabilityCode.AsTrans)
                {
                    if (useAs4Path)
                    {
                        decision.Add(UpdateErrorReason.As4PathIgnored, Rfc7606Action.AttributeDiscard, PathAttributeType.As4Path);
                    }

                    useAs4Path = false;
                }
                else
                {
                    update.AggregatorAs = as4AggregatorAs;
                    update.AggregatorAddress = as4AggregatorAddress;
                }
            }

            if (!useAs4Path || !update.Has(PathAttributeType.AsPath))
            {
                return;
            }

            AsPath path = update.AsPath;
            int take = path.PathLength() - as4Path.PathLength();
            if (take < 0)
            {
                decision.Add(UpdateErrorReason.As4PathIgnored, Rfc7606Action.AttributeDiscard, PathAttributeType.As4Path);
                return;
            }

            merged.Clear();
            bool ok = true;
            for (int s = 0; s < path.SegmentCount && take > 0 && ok; s++)
            {
                int type = path.SegmentType[s];
                int count = path.SegmentLength[s];
                int first = path.SegmentStart[s];
                int copy;
                if (type == AsPath.AsSequence)
                {
                    copy = count < take ? count : take;
                    take -= copy;
                }
                else if (type == AsPath.AsSet)
                {
                    copy = count;
                    take -= 1;
                }
                else
                {
                    copy = count;
                }

                ok = merged.BeginSegment(type);
                for (int i = 0; i < copy && ok; i++)
                {
                    ok = merged.Append(path.Asns[first + i]);
                }
            }

            for (int s = 0; s < as4Path.SegmentCount && ok; s++)
            {
                int type = as4Path.SegmentType[s];
                int last = merged.SegmentCount - 1;
                bool join = s == 0 && type == AsPath.AsSequence && last >= 0 && merged.SegmentType[last] == AsPath.AsSequence
                    && merged.SegmentLength[last] + as4Path.SegmentLength[s] <= AsPath.MaxSegmentLength;
                if (!join)
                {
                    ok = merged.BeginSegment(type);
                }

                int first = as4Path.SegmentStart[s];
                for (int i = 0; i < as4Path.SegmentLength[s] && ok; i++)
                {
                    ok = merged.Append(as4Path.Asns[first + i]);
                }
            }

            if (!ok || !path.CopyFrom(merged))
            {
                path.Clear();
                update.SetAbsent(PathAttributeType.AsPath);
                decision.Add(UpdateErrorReason.AsPathCapacityExceeded, Rfc7606Action.TreatAsWithdraw, PathAttributeType.AsPath);
            }
        }

        /// <summary>True for an address usable as a next hop: not 0/8, 127/8, or 224/4 and above (RFC 4271 §6.3, RFC 1122 §3.2.1.3).</summary>
        public static bool IsUnicastHost(uint address)
        {
            uint first = address >> 24;
            return first != 0 && first != 127 && first < 224;
        }
    }
}
