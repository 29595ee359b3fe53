using VpnAppliance.Config;
using VpnAppliance.Core;
using VpnAppliance.Net;
using VpnAppliance.Wire;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// The console's <c>ping &lt;addr&gt; [count n]</c>: ICMP echo requests (RFC 792) sent by the router one per
    /// second with 56 bytes of data, replies matched by identifier and sequence number, one line per reply and a
    /// summary one second after the last request, as the Unix ping prints them. One session at a time; the event
    /// loop keeps running meanwhile (this is a module, not a blocking command).
    /// </summary>
    public sealed class PingSession : ILocalIcmp, IApplianceModule
    {
        /// <summary>Most echo requests one command sends.</summary>
        public const int MaxCount = 100;
        /// <summary>Milliseconds between requests, and the wait for the last reply.</summary>
        public const int IntervalMs = 1000;
        /// <summary>Data bytes after the ICMP header (the Unix default).</summary>
        public const int DataLength = 56;

        private const int Window = 8;   // send times kept for replies (sequence numbers modulo Window)

        private readonly Appliance _appliance;
        private readonly Router _router;
        private readonly byte[] _request;
        private readonly long[] _sentAt;
        private uint _target;
        private uint _source;
        private int _count;
        private int _sent;
        private int _received;
        private long _nextMs;
        private ushort _identifier;
        private long _rttMin;
        private long _rttMax;
        private long _rttSum;
        private bool _active;

        /// <summary>Sends through <paramref name="router"/>, prints through <paramref name="appliance"/>'s console.</summary>
        public PingSession(Appliance appliance, Router router)
        {
            _appliance = appliance;
            _router = router;
            _request = new byte[IcmpMessage.HeaderLength + DataLength];
            _sentAt = new long[Window];
        }

        /// <summary>Describes this object for the memory budget.</summary>
        public static void Account(MemoryBudget budget)
        {
            budget.AddObject(15, 4 * 8 + 2 * 4 + 3 * 4 + 2 + 4 * 8 + 1);
            budget.AddValueArray(1, IcmpMessage.HeaderLength + DataLength);
            budget.AddValueArray(8, Window);
        }

        /// <summary>"ping".</summary>
        public string Name { get { return "ping"; } }

        /// <summary>True while a session runs.</summary>
        public bool Active { get { return _active; } }

        /// <summary>Replies received in the current or last session.</summary>
        public int Received { get { return _received; } }

        /// <summary>Starts pinging <paramref name="target"/> <paramref name="count"/> times; false while a session runs.</summary>
        public bool Start(uint target, int count, long nowMs)
        {
            return Start(target, 0, count, nowMs);
        }

        /// <summary>
        /// Starts pinging <paramref name="target"/> from <paramref name="source"/> (0: the egress interface's
        /// address) <paramref name="count"/> times; false while a session runs.
        /// </summary>
        public bool Start(uint target, uint source, int count, long nowMs)
        {
            if (_active || count < 1 || count > MaxCount)
            {
                return false;
            }

            _target = target;
            _source = source;
            _count = count;
            _sent = 0;
            _received = 0;
            _rttMin = long.MaxValue;
            _rttMax = 0;
            _rttSum = 0;
            _identifier++;
            _nextMs = nowMs;
            _active = true;
            _appliance.ConsoleWrite("PING " + Ipv4.Format(target) + " " + DataLength.ToString() + " data bytes\r\n");
            return true;
        }

        /// <summary>Sends the due request, or ends the session; returns when it has work next.</summary>
        public long Poll(long nowMs)
        {
            if (!_active)
            {
                return Appliance.Never;
            }

            if (nowMs >= _nextMs)
            {
                if (_sent < _count)
                {
                    SendRequest(nowMs);
                }
                else
                {
                    Finish();
                    return Appliance.Never;
                }
            }

            return _nextMs;
        }

        /// <summary>ILocalIcmp: counts and prints an echo reply of this session.</summary>
        public void OnIcmp(uint src, uint dst, byte[] buf, int off, int len, long nowMs)
        {
            if (!_active || src != _target || len < IcmpMessage.HeaderLength || buf[off] != IcmpMessage.TypeEchoReply)
            {
                return;
            }

            int identifier = (buf[off + 4] << 8) | buf[off + 5];
            int sequence = (buf[off + 6] << 8) | buf[off + 7];
            if (identifier != _identifier || sequence < 1 || sequence > _sent || _sent - sequence >= Window)
            {
                return;
            }

            long rtt = nowMs - _sentAt[sequence % Window];
            _received++;
            _rttSum += rtt;
            _rttMin = rtt < _rttMin ? rtt : _rttMin;
            _rttMax = rtt > _rttMax ? rtt : _rttMax;
            _appliance.ConsoleWrite((len - IcmpMessage.HeaderLength).ToString() + " bytes from " + Ipv4.Format(src) +
                ": icmp_seq=" + sequence.ToString() + " time=" + rtt.ToString() + " ms\r\n");
        }

        private void SendRequest(long nowMs)
        {
            _sent++;
            byte[] r = _request;
            r[0] = IcmpMessage.TypeEchoRequest;
            r[1] = 0;
            r[2] = 0;
            r[3] = 0;
            r[4] = (byte)(_identifier >> 8);
            r[5] = (byte)_identifier;
            r[6] = (byte)(_sent >> 8);
            r[7] = (byte)_sent;
            for (int i = 0; i < DataLength; i++)
            {
                r[IcmpMessage.HeaderLength + i] = (byte)(0x10 + i);
            }

            ushort sum = InternetChecksum.Compute(r, 0, r.Length);
            r[2] = (byte)(sum >> 8);
            r[3] = (byte)sum;
            _sentAt[_sent % Window] = nowMs;
            _nextMs = nowMs + IntervalMs;
            NetResult result = _router.SendLocal(_source, _target, IpProtocol.Icmp, r, 0, r.Length, nowMs);
            if (result == NetResult.Dropped || result == NetResult.Invalid)
            {
                _appliance.ConsoleWrite("icmp_seq=" + _sent.ToString() + ": not sent (" + DropReasons.Name(_router.LastDrop) + ")\r\n");
            }
        }

        /// <summary>Ends the session now (Ctrl-C on the console) and prints its summary.</summary>
        public void Stop()
        {
            if (_active && _sent > 0)
            {
                Finish();
            }

            _active = false;
        }

        private void Finish()
        {
            _active = false;
            int lossPercent = (_sent - _received) * 100 / _sent;
            _appliance.ConsoleWrite("--- " + Ipv4.Format(_target) + " ping statistics ---\r\n" + _sent.ToString() +
                " packets transmitted, " + _received.ToString() + " received, " + lossPercent.ToString() + "% packet loss\r\n");
            if (_received > 0)
            {
                _appliance.ConsoleWrite("rtt min/avg/max = " + _rttMin.ToString() + "/" + (_rttSum / _received).ToString() + "/" + _rttMax.ToString() + " ms\r\n");
            }
        }
    }
}
