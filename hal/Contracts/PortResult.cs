namespace VpnAppliance.Hal
{
    /// <summary>Outcome of a send or bind on a HAL port. Nothing on a port throws for these.</summary>
    public enum PortResult
    {
        /// <summary>Done.</summary>
        Ok = 0,
        /// <summary>Transmit queue or driver buffer full; try again later (counted by the caller).</summary>
        Busy = 1,
        /// <summary>Link or interface is down.</summary>
        LinkDown = 2,
        /// <summary>Frame or datagram larger than the port accepts.</summary>
        TooLarge = 3,
        /// <summary>Address or port already in use / not available (bind).</summary>
        AddressInUse = 4,
        /// <summary>Port closed or not bound.</summary>
        Closed = 5,
        /// <summary>Arguments out of range (offset/length outside the buffer, bad address).</summary>
        Invalid = 6,
        /// <summary>Any other driver or OS error.</summary>
        Error = 7,
    }
}
