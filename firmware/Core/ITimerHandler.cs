namespace VpnAppliance.Core
{
    /// <summary>Receives a timer that fired. <paramref name="cookie"/> is the value given to Schedule.</summary>
    public interface ITimerHandler
    {
        /// <summary>Called by <see cref="TimerSet.Fire"/> once per due timer, in deadline order.</summary>
        void OnTimer(int cookie, long nowMs);
    }
}
