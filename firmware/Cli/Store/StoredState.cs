namespace VpnAppliance.Cli.Store
{
    /// <summary>
    /// What the configuration store holds: the console password hash and the saved configuration, as one
    /// text record:
    /// <code>
    ///   #login pbkdf2-sha256$10000$&lt;salt&gt;$&lt;hash&gt;      (absent: factory password)
    ///   set system host-name branch1
    ///   ...
    /// </code>
    /// The first line is a comment for the configuration parser, so the record is also a valid configuration
    /// text. Written by <c>save</c> (and by a password change); read at boot.
    /// </summary>
    public sealed class StoredState
    {
        /// <summary>Prefix of the password line.</summary>
        public const string LoginPrefix = "#login ";

        /// <summary>The password hash text, or null (factory state).</summary>
        public string PasswordHash;

        /// <summary>The saved configuration text (storage form, secrets in clear), "" when none.</summary>
        public string ConfigText = "";

        /// <summary>True when the store held a record.</summary>
        public bool Loaded;

        /// <summary>Reads the newest valid record; an empty store gives the factory state (Loaded false).</summary>
        public static StoredState Load(ConfigStore store)
        {
            StoredState s = new StoredState();
            byte[] payload;
            if (store.Load(out payload) != StoreResult.Ok)
            {
                return s;
            }

            char[] chars = new char[payload.Length];
            for (int i = 0; i < payload.Length; i++)
            {
                chars[i] = (char)payload[i];
            }

            string text = new string(chars);
            if (text.StartsWith(LoginPrefix))
            {
                int nl = text.IndexOf('\n');
                string first = nl < 0 ? text : text.Substring(0, nl);
                s.PasswordHash = first.Substring(LoginPrefix.Length).Trim();
                text = nl < 0 ? "" : text.Substring(nl + 1);
            }

            s.ConfigText = text;
            s.Loaded = true;
            return s;
        }

        /// <summary>Writes this state as the new current record.</summary>
        public StoreResult Save(ConfigStore store)
        {
            string text = (PasswordHash != null ? LoginPrefix + PasswordHash + "\n" : "") + ConfigText;
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bytes[i] = c < 128 ? (byte)c : (byte)'?';
            }

            return store.Save(bytes, 0, bytes.Length);
        }
    }
}
