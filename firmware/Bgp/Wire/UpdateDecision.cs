namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// The RFC 7606 verdict on one UPDATE: every error found (reason, attribute type, action; the first
    /// RecordCapacity of them), the strongest action (RFC 7606 §3 j) with the error that set it, and for
    /// "session reset" / "AFI/SAFI disable" the NOTIFICATION to send (RFC 4271 §6.3 codes; data references the
    /// message). Preallocated; UpdateDecoder overwrites it per message.
    /// </summary>
    public sealed class UpdateDecision
    {
        /// <summary>Errors recorded individually per UPDATE.</summary>
        public const int RecordCapacity = 8;

        /// <summary>The action that applies to the whole UPDATE.</summary>
        public Rfc7606Action Action;
        /// <summary>The (first) error that set Action.</summary>
        public UpdateErrorReason Reason;
        /// <summary>Attribute type of that error (0 when it is not about one attribute).</summary>
        public int AttributeType;
        /// <summary>Errors recorded in the arrays below.</summary>
        public int ErrorCount;
        /// <summary>Errors found beyond RecordCapacity (counted only).</summary>
        public int ErrorsNotRecorded;
        /// <summary>Reason of each recorded error.</summary>
        public readonly UpdateErrorReason[] Reasons = new UpdateErrorReason[RecordCapacity];
        /// <summary>Action the RFC assigns to each recorded error.</summary>
        public readonly Rfc7606Action[] Actions = new Rfc7606Action[RecordCapacity];
        /// <summary>Attribute type of each recorded error.</summary>
        public readonly int[] AttributeTypes = new int[RecordCapacity];
        /// <summary>Unrecognized optional non-transitive attributes quietly dropped (RFC 4271 §5, not an error).</summary>
        public int UnrecognizedNonTransitiveDropped;
        /// <summary>The NOTIFICATION for SessionReset (and AfiSafiDisable, if the session chooses to send it).</summary>
        public readonly ErrorNotification Notification = new ErrorNotification();

        /// <summary>The log line of the deciding error.</summary>
        public string LogLine { get { return UpdateErrorText.Describe(Reason); } }

        /// <summary>True when the session must be closed with Notification.</summary>
        public bool IsSessionReset { get { return Action == Rfc7606Action.SessionReset; } }

        /// <summary>True when every prefix of the UPDATE must be withdrawn instead of installed.</summary>
        public bool IsTreatAsWithdraw { get { return Action == Rfc7606Action.TreatAsWithdraw; } }

        /// <summary>Forgets everything.</summary>
        public void Clear()
        {
            Action = Rfc7606Action.None;
            Reason = UpdateErrorReason.None;
            AttributeType = 0;
            ErrorCount = 0;
            ErrorsNotRecorded = 0;
            UnrecognizedNonTransitiveDropped = 0;
            Notification.Clear();
        }

        /// <summary>Records one error and raises Action if this one is stronger (RFC 7606 §3 j).</summary>
        public void Add(UpdateErrorReason reason, Rfc7606Action action, int attributeType)
        {
            if (ErrorCount < RecordCapacity)
            {
                Reasons[ErrorCount] = reason;
                Actions[ErrorCount] = action;
                AttributeTypes[ErrorCount] = attributeType;
                ErrorCount++;
            }
            else
            {
                ErrorsNotRecorded++;
            }

            if (action > Action)
            {
                Action = action;
                Reason = reason;
                AttributeType = attributeType;
            }
        }

        /// <summary>True when <paramref name="reason"/> was recorded.</summary>
        public bool Has(UpdateErrorReason reason)
        {
            for (int i = 0; i < ErrorCount; i++)
            {
                if (Reasons[i] == reason)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
