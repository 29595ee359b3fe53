namespace VpnAppliance.Fib
{
    /// <summary>
    /// Receives the routes of <see cref="FibTable.Enumerate"/> in prefix order (address ascending, then
    /// length ascending: a covering prefix comes before the prefixes inside it), as <c>show ip route</c> lists them.
    /// </summary>
    public interface IFibVisitor
    {
        /// <summary>One route; return false to stop the walk.</summary>
        bool Visit(uint prefix, int length, int group);
    }
}
