using System.Text;

namespace VpnAppliance.Bfd
{
    /// <summary>
    /// Text of <c>show bfd peers</c> (laid out like FRR's bfdd: one block per peer with its state, uptime or
    /// downtime, diagnostics and the local and remote timers) and <c>show bfd peers brief</c>. Not a hot path:
    /// it builds strings.
    /// </summary>
    public static class BfdShow
    {
        /// <summary>Lower-case state name as FRR prints it ("up", "down", "init", "shutdown").</summary>
        public static string StateName(BfdState state)
        {
            switch (state)
            {
                case BfdState.Up: return "up";
                case BfdState.Init: return "init";
                case BfdState.Down: return "down";
                default: return "shutdown";
            }
        }

        /// <summary>Diagnostic name (RFC 5880 §4.1 wording; "ok" for 0 as FRR prints it).</summary>
        public static string DiagName(BfdDiag diag)
        {
            switch (diag)
            {
                case BfdDiag.None: return "ok";
                case BfdDiag.ControlDetectionTimeExpired: return "control detection time expired";
                case BfdDiag.EchoFunctionFailed: return "echo function failed";
                case BfdDiag.NeighborSignaledSessionDown: return "neighbor signaled session down";
                case BfdDiag.ForwardingPlaneReset: return "forwarding plane reset";
                case BfdDiag.PathDown: return "path down";
                case BfdDiag.ConcatenatedPathDown: return "concatenated path down";
                case BfdDiag.AdministrativelyDown: return "administratively down";
                case BfdDiag.ReverseConcatenatedPathDown: return "reverse concatenated path down";
                default: return "diag " + ((int)diag).ToString();
            }
        }

        /// <summary>Interface name in the router's numbering: "lan" (0), "tunN" (tunnels), else "ifN".</summary>
        public static string InterfaceName(int interfaceId, int tunnelCount)
        {
            if (interfaceId == 0)
            {
                return "lan";
            }

            return interfaceId >= 1 && interfaceId <= tunnelCount ? "tun" + interfaceId.ToString() : "if" + interfaceId.ToString();
        }

        /// <summary>Dotted quad of a host-order address.</summary>
        public static string Address(uint a)
        {
            return (a >> 24).ToString() + "." + ((a >> 16) & 0xFF).ToString() + "." + ((a >> 8) & 0xFF).ToString() + "." + (a & 0xFF).ToString();
        }

        /// <summary>A duration in ms as "1d02h03m04s" / "02h03m04s" / "03m04s" / "4s".</summary>
        public static string Duration(long ms)
        {
            long total = ms < 0 ? 0 : ms / 1000;
            long d = total / 86400;
            long h = (total / 3600) % 24;
            long m = (total / 60) % 60;
            long sec = total % 60;
            if (d > 0)
            {
                return d.ToString() + "d" + Two(h) + "h" + Two(m) + "m" + Two(sec) + "s";
            }

            if (h > 0)
            {
                return Two(h) + "h" + Two(m) + "m" + Two(sec) + "s";
            }

            if (m > 0)
            {
                return Two(m) + "m" + Two(sec) + "s";
            }

            return sec.ToString() + "s";
        }

        /// <summary>Appends the <c>show bfd peers</c> text for every session.</summary>
        public static void WritePeers(BfdEngine engine, int tunnelCount, long nowMs, StringBuilder sb)
        {
            sb.Append("BFD Peers:\n");
            for (int i = 0; i < engine.Capacity; i++)
            {
                BfdSession s = engine.Session(i);
                if (!s.IsActive)
                {
                    continue;
                }

                sb.Append("    peer ").Append(Address(s.Peer));
                if (s.Local != 0)
                {
                    sb.Append(" local-address ").Append(Address(s.Local));
                }

                sb.Append(" interface ").Append(InterfaceName(s.InterfaceId, tunnelCount)).Append('\n');
                Line(sb, "ID", s.LocalDiscriminator.ToString());
                Line(sb, "Remote ID", s.RemoteDiscriminator.ToString());
                Line(sb, "Status", StateName(s.State));
                Line(sb, s.IsUp ? "Uptime" : "Downtime", Duration(nowMs - s.StateSince));
                Line(sb, "Diagnostics", DiagName(s.Diag));
                Line(sb, "Remote diagnostics", DiagName(s.RemoteDiag));
                Line(sb, "Transitions", "up " + s.UpCount.ToString() + ", down " + s.DownCount.ToString());
                Line(sb, "Packets", "rx " + s.ReceivedPackets.ToString() + ", tx " + s.SentPackets.ToString());
                sb.Append("        Local timers:\n");
                Timer(sb, "Detect-multiplier", s.DetectMult.ToString());
                Timer(sb, "Receive interval", Ms(s.RequiredMinRxInterval));
                Timer(sb, "Transmission interval", Ms(s.DesiredMinTxInterval));
                sb.Append("        Remote timers:\n");
                Timer(sb, "Detect-multiplier", s.RemoteDetectMult.ToString());
                Timer(sb, "Receive interval", Ms(s.RemoteMinRxInterval));
                Timer(sb, "Transmission interval", Ms(s.RemoteDesiredMinTxInterval));
                sb.Append("        Negotiated: tx ").Append(Ms(s.TransmitInterval)).Append(", detect ").Append(Ms(s.DetectionTime));
                sb.Append(s.Polling ? ", poll sequence running\n" : "\n");
                sb.Append('\n');
            }
        }

        /// <summary>Appends one line per session: peer, interface, state, uptime/downtime, tx interval x multiplier, diag.</summary>
        public static void WriteBrief(BfdEngine engine, int tunnelCount, long nowMs, StringBuilder sb)
        {
            sb.Append("Peer             Interface  State     Since       Interval    Diag\n");
            for (int i = 0; i < engine.Capacity; i++)
            {
                BfdSession s = engine.Session(i);
                if (!s.IsActive)
                {
                    continue;
                }

                Pad(sb, Address(s.Peer), 17);
                Pad(sb, InterfaceName(s.InterfaceId, tunnelCount), 11);
                Pad(sb, StateName(s.State), 10);
                Pad(sb, Duration(nowMs - s.StateSince), 12);
                Pad(sb, Ms(s.TransmitInterval) + "x" + s.DetectMult.ToString(), 12);
                sb.Append(DiagName(s.Diag)).Append('\n');
            }
        }

        private static void Line(StringBuilder sb, string name, string value)
        {
            sb.Append("        ").Append(name).Append(": ").Append(value).Append('\n');
        }

        private static void Timer(StringBuilder sb, string name, string value)
        {
            sb.Append("            ").Append(name).Append(": ").Append(value).Append('\n');
        }

        private static string Ms(long us)
        {
            return (us / 1000).ToString() + "ms";
        }

        private static string Two(long v)
        {
            return v < 10 ? "0" + v.ToString() : v.ToString();
        }

        private static void Pad(StringBuilder sb, string text, int width)
        {
            sb.Append(text);
            for (int i = text.Length; i < width; i++)
            {
                sb.Append(' ');
            }
        }
    }
}
