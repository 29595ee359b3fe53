using System.Threading;
using VpnAppliance.Cli;
using VpnAppliance.Firmware;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto.Device;
using VpnAppliance.Hal.Device;

namespace VpnAppliance.Boards
{
    /// <summary>
    /// Entry point of every device image. Each board's Board.nfproj compiles this file together with its
    /// generated BoardProfile.g.cs, so the boards differ only in data (capacities, console UART, flash).
    ///
    /// Boot: HAL ports, crypto (nanoFramework AES/HMAC + managed rest) and the DRBG seeded from the hardware RNG ->
    /// pools from the board capacities -> the newest valid configuration from the A/B flash store -> the field CLI
    /// on the console UART (login required) -> event loop. The loop sleeps until the next
    /// deadline, at most <see cref="MaxSleepMs"/> so that UART and socket input is looked at often
    /// (nanoFramework has no select over heterogeneous ports).
    /// </summary>
    public static class DeviceProgram
    {
        /// <summary>Longest sleep between two polls.</summary>
        public const int MaxSleepMs = 10;

        /// <summary>IKE (RFC 7296 §2) and IKE/ESP-in-UDP (RFC 3948) ports.</summary>
        private const int IkePort = 500;
        private const int NatTPort = 4500;

        /// <summary>Starts the appliance; never returns.</summary>
        public static void Main()
        {
            DeviceClock clock = new DeviceClock();
            UartSerial console = new UartSerial(BoardProfile.ConsolePort, BoardProfile.ConsoleBaud);
            ApplianceHal hal = new ApplianceHal();
            hal.Console = console;
            hal.LogSink = new DebugLogSink(console);
            hal.Entropy = new HardwareEntropy();
            hal.Flash = new FileFlashStore(FileFlashStore.InternalDrive, "vpn-config-", BoardProfile.ConfigSlots, BoardProfile.ConfigSlotBytes, 0xFF);
            hal.WanIke = Bind(IkePort);
            hal.WanNatT = Bind(NatTPort);

            Appliance appliance = new Appliance(BoardProfile.Create(), hal);
            appliance.Start(clock.NowMs);
            while (true)
            {
                long next = appliance.Poll(clock.NowMs);
                long wait = next - clock.NowMs;
                if (wait > 0)
                {
                    Thread.Sleep(wait > MaxSleepMs ? MaxSleepMs : (int)wait);
                }
            }
        }

        private static DeviceUdpPort Bind(int port)
        {
            DeviceUdpPort socket = new DeviceUdpPort();
            return socket.Bind(0, port) == PortResult.Ok ? socket : null;
        }
    }
}
