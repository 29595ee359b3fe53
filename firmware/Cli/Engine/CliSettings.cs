using VpnAppliance.Config.Validation;

namespace VpnAppliance.Cli
{
    /// <summary>Sizes and policies of a CLI session; every buffer the session keeps is bounded by these.</summary>
    public sealed class CliSettings
    {
        /// <summary>Longest input line.</summary>
        public int MaxLine = 512;
        /// <summary>Lines of command history.</summary>
        public int HistoryLines = 32;
        /// <summary>Configurations kept for <c>rollback</c>.</summary>
        public int RollbackDepth = 5;
        /// <summary>Most statements in the candidate configuration.</summary>
        public int CandidateLines = 2000;
        /// <summary>False: no login (tests, or a host console that is not a terminal).</summary>
        public bool LoginRequired = true;
        /// <summary>Logged-in session ends after this long without input (0 = never).</summary>
        public long InactivityTimeoutMs = 600000;
        /// <summary>PBKDF2 iterations for new password hashes.</summary>
        public int PasswordIterations = 10000;
        /// <summary>The user name the console knows.</summary>
        public string UserName = "admin";
        /// <summary>Board capacities the commit checks the configuration against.</summary>
        public BoardLimits Limits;
    }
}
