namespace VpnAppliance.Cli
{
    /// <summary>
    /// One invocation of a command: the words of the line (keywords expanded), where the arguments start,
    /// the time, the output and the session (for confirmations, re-authentication, background commands).
    /// </summary>
    public sealed class CliCall
    {
        /// <summary>Every word of the line; words before <see cref="ArgStart"/> are the command's keywords.</summary>
        public string[] Words;
        /// <summary>Index of the first argument word.</summary>
        public int ArgStart;
        /// <summary>Time of the call.</summary>
        public long NowMs;
        /// <summary>Console output.</summary>
        public CliOutput Out;
        /// <summary>The session that runs the command.</summary>
        public CliSession Session;

        /// <summary>Number of argument words.</summary>
        public int ArgCount { get { return Words.Length - ArgStart; } }

        /// <summary>Argument i (0-based), or null when there are fewer.</summary>
        public string Arg(int i)
        {
            int k = ArgStart + i;
            return i >= 0 && k < Words.Length ? Words[k] : null;
        }

        /// <summary>The command's keywords joined with spaces (e.g. "show ip route").</summary>
        public string CommandText()
        {
            string s = "";
            for (int i = 0; i < ArgStart; i++)
            {
                s = i == 0 ? Words[i] : s + " " + Words[i];
            }

            return s;
        }

        /// <summary>Writes a line.</summary>
        public void Line(string text)
        {
            Out.Line(text);
        }

        /// <summary>Prints "% usage: ..." for this command.</summary>
        public void Usage(string arguments)
        {
            Out.Line("% usage: " + CommandText() + " " + arguments);
        }

        /// <summary>Asks "question [yes/no]"; <paramref name="onYes"/> runs with this call's words when the answer is yes.</summary>
        public void Confirm(string question, ICliHandler onYes)
        {
            Session.AskConfirmation(question, onYes, this);
        }

        /// <summary>Asks for the password again; <paramref name="onSuccess"/> runs when it is right.</summary>
        public void Reauthenticate(ICliHandler onSuccess)
        {
            Session.AskPassword(onSuccess, this);
        }

        /// <summary>Holds the prompt until <paramref name="command"/> is no longer active.</summary>
        public void RunInBackground(ICliBackground command)
        {
            Session.SetBackground(command);
        }
    }
}
