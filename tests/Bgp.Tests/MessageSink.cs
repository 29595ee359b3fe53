using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Tests;

/// <summary>
/// What a session does with one received message, reduced to the outcome, with the invariants every outcome
/// must satisfy checked on the way (used by the truncation sweep and the fuzz).
/// </summary>
internal sealed class MessageSink
{
    public enum Outcome { NeedMore, HeaderError, OpenOk, OpenError, UpdateOk, UpdateDecision, Notification, NotificationTooShort, Keepalive, RouteRefresh, RouteRefreshIgnored, RouteRefreshError }

    private readonly BgpMessageReassembler reassembler = new(4096);
    private readonly OpenMessage open = new();
    private readonly OpenPolicy policy = new() { LocalAs = 65001, LocalIdentifier = 0x01020304, ExpectedPeerAs = 0 };
    private readonly ErrorNotification error = new();
    private readonly UpdateDecoder decoder = new(null);
    private readonly ParsedUpdate update = new(null);
    private readonly UpdateDecision decision = new();
    private readonly NotificationMessage notification = new();
    private readonly RouteRefreshMessage refresh = new();
    private readonly byte[] notificationOut = new byte[4096];

    public UpdateDecision Decision => decision;
    public ParsedUpdate Update => update;

    /// <summary>Feeds one complete buffer as a fresh stream and returns the outcome of its first message.</summary>
    public Outcome Process(byte[] bytes, SessionParameters session)
    {
        reassembler.Reset();
        reassembler.Write(bytes, 0, bytes.Length);
        var status = reassembler.Next();
        if (status == BgpMessageReassembler.Status.NeedMore)
        {
            return Outcome.NeedMore;
        }

        if (status == BgpMessageReassembler.Status.HeaderError)
        {
            Assert.Equal(NotificationCode.MessageHeaderError, reassembler.Error.Code);
            Assert.InRange(reassembler.Error.Subcode, 1, 3);
            CheckEncodes(reassembler.Error);
            return Outcome.HeaderError;
        }

        byte[] b = reassembler.Buffer;
        int off = reassembler.MessageOffset, len = reassembler.MessageLength;
        switch (reassembler.MessageType)
        {
            case BgpMessageType.Open:
                if (open.Decode(b, off, len, error) != OpenError.None || OpenCheck.Validate(open, policy, error) != OpenError.None)
                {
                    Assert.True(error.Code == NotificationCode.OpenMessageError);
                    CheckEncodes(error);
                    return Outcome.OpenError;
                }

                return Outcome.OpenOk;
            case BgpMessageType.Update:
            {
                var action = decoder.Decode(b, off, len, session, update, decision);
                Assert.True(Enum.IsDefined(action));
                Assert.Equal(action, decision.Action);
                Assert.False(string.IsNullOrEmpty(decision.LogLine));
                for (int i = 0; i < update.PrefixCount; i++)
                {
                    Assert.InRange(update.PrefixLength[i], 0, 32);
                    Assert.Equal(0u, update.PrefixAddress[i] & ~Ipv4PrefixCodec.Mask(update.PrefixLength[i]));
                }

                if (action == Rfc7606Action.SessionReset || action == Rfc7606Action.AfiSafiDisable)
                {
                    Assert.True(decision.Notification.Code == NotificationCode.UpdateMessageError || decision.Reason == UpdateErrorReason.PrefixCapacityExceeded);
                    CheckEncodes(decision.Notification);
                }

                if (action == Rfc7606Action.None)
                {
                    Assert.Equal(UpdateErrorReason.None, decision.Reason);
                }

                return action == Rfc7606Action.None ? Outcome.UpdateOk : Outcome.UpdateDecision;
            }

            case BgpMessageType.Notification:
                if (!notification.Decode(b, off, len))
                {
                    return Outcome.NotificationTooShort;
                }

                Assert.NotNull(notification.CodeName);
                Assert.NotNull(notification.SubcodeName);
                notification.TryGetShutdownCommunication(out _, out _);
                notification.TryGetMaxPrefixes(out _, out _, out _);
                return Outcome.Notification;
            case BgpMessageType.Keepalive:
                Assert.Equal(19, len);
                return Outcome.Keepalive;
            case BgpMessageType.RouteRefresh:
                switch (refresh.Decode(b, off, len, error))
                {
                    case RouteRefreshMessage.Status.Valid: return Outcome.RouteRefresh;
                    case RouteRefreshMessage.Status.Ignore: return Outcome.RouteRefreshIgnored;
                    default:
                        Assert.Equal(NotificationCode.RouteRefreshMessageError, error.Code);
                        CheckEncodes(error);
                        return Outcome.RouteRefreshError;
                }

            default:
                throw new InvalidOperationException("the reassembler let an unknown type through");
        }
    }

    private void CheckEncodes(ErrorNotification e)
    {
        int n = e.EncodeNotification(notificationOut, 0);
        Assert.InRange(n, 21, 4096);
        Assert.Equal(0, BgpMessageHeader.Check(notificationOut, 0, 4096));
    }
}
