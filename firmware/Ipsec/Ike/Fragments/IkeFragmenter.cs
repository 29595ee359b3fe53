namespace VpnAppliance.Ipsec.Ike
{
    // Sending side of IKE fragmentation, RFC 7383 §2.5. The plaintext of what would be one SK payload (the inner
    // payloads) is cut into equal chunks (the last shorter), each protected as an SKF payload that is the only payload
    // of its message: IKE header (copied from the caller's template, Next Payload = SKF 53, Length of this fragment) |
    // SKF. The encryption is IkeSaKeys.ProtectPayload, the same as SK's, with the 8-octet SKF header inside the
    // AAD / integrity coverage (§2.5). Fragments carry the original message's Message ID (from the template).
    // Unencrypted payloads before SK are not supported (IKE_AUTH and later have none).

    /// <summary>Splits inner payloads into SKF fragments (RFC 7383 §2.5). Stateless; no allocation.</summary>
    public static class IkeFragmenter
    {
        /// <summary>
        /// Number of fragments needed for <paramref name="plainLength"/> octets of inner payloads when no message may
        /// exceed <paramref name="maxDatagram"/> octets (IKE header included; without the non-ESP marker and UDP/IP
        /// headers). 0 when not even one octet of plaintext fits or the keys are not configured; at most 65535.
        /// </summary>
        public static int FragmentCount(IkeSaKeys keys, int plainLength, int maxDatagram)
        {
            int chunk = ChunkLength(keys, maxDatagram);
            if (chunk <= 0 || plainLength < 0) return 0;
            if (plainLength == 0) return 1;
            int count = (plainLength + chunk - 1) / chunk;
            return count > 0xFFFF ? 0 : count;
        }

        /// <summary>
        /// Writes fragment <paramref name="number"/> (1-based) of <paramref name="total"/> into message[messageOffset..]:
        /// the 28-octet header from headerTemplate[headerOffset..] with Next Payload = SKF and its Length fixed, then the
        /// SKF payload whose Next Payload is <paramref name="innerNextPayload"/> in fragment 1 and 0 in the others.
        /// <paramref name="total"/> must equal <see cref="FragmentCount"/>. Returns the fragment's message length, or -1
        /// (bad arguments, no room, keys not ready).
        /// </summary>
        public static int Write(IkeSaKeys keys, bool sendingAsInitiator, byte[] headerTemplate, int headerOffset,
            byte[] plain, int plainOffset, int plainLength, byte innerNextPayload, int number, int total, int maxDatagram,
            byte[] message, int messageOffset, int capacity)
        {
            if (keys == null || !keys.Ready) return -1;
            if (total < 1 || number < 1 || number > total || total != FragmentCount(keys, plainLength, maxDatagram)) return -1;
            if (headerTemplate == null || headerOffset < 0 || headerOffset > headerTemplate.Length - IkeHeader.Length) return -1;
            if (message == null || messageOffset < 0 || capacity < IkeHeader.Length + SkfHeader.Length || messageOffset > message.Length - capacity) return -1;
            int chunk = ChunkLength(keys, maxDatagram);
            int start = (number - 1) * chunk;
            int length = plainLength - start;
            if (length > chunk) length = chunk;
            if (length < 0) return -1;
            int room = capacity < maxDatagram ? capacity : maxDatagram;

            System.Array.Copy(headerTemplate, headerOffset, message, messageOffset, IkeHeader.Length);
            message[messageOffset + IkeHeader.NextPayloadField] = IkePayloadType.EncryptedFragment;
            int skf = messageOffset + IkeHeader.Length;
            SkfHeader.Write(message, skf, number == 1 ? innerNextPayload : IkePayloadType.None, number, total);   // §2.5
            return keys.ProtectPayload(sendingAsInitiator, plain, plainOffset + start, length, message, messageOffset, skf, SkfHeader.Length, room);
        }

        static int ChunkLength(IkeSaKeys keys, int maxDatagram)
        {
            if (keys == null || !keys.Configured) return 0;
            return keys.MaxPlainLength(maxDatagram - IkeHeader.Length, SkfHeader.Length);
        }
    }
}
