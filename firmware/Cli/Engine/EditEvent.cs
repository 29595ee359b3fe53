namespace VpnAppliance.Cli
{
    /// <summary>What a byte fed to the <see cref="LineEditor"/> asks the session to do.</summary>
    public enum EditEvent
    {
        /// <summary>Nothing (the byte edited the line or was ignored).</summary>
        None = 0,
        /// <summary>Enter: the line is complete (<see cref="LineEditor.Text"/>).</summary>
        Enter = 1,
        /// <summary>Tab: complete the last word.</summary>
        Complete = 2,
        /// <summary>'?': list what may come next.</summary>
        Help = 3,
        /// <summary>Ctrl-C: the line was abandoned.</summary>
        Interrupt = 4,
        /// <summary>Up arrow.</summary>
        HistoryUp = 5,
        /// <summary>Down arrow.</summary>
        HistoryDown = 6,
        /// <summary>Ctrl-D on an empty line (logout).</summary>
        EndOfInput = 7,
    }
}
