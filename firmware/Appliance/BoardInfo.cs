using VpnAppliance.Core;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// What the firmware knows about the board it runs on: its name, chip, heap budget and the
    /// capacities every pool is sized from. The host reads it from boards/&lt;board&gt;/board.json; a
    /// device image carries it as the generated constants of boards/&lt;board&gt;/BoardProfile.g.cs.
    /// </summary>
    public sealed class BoardInfo
    {
        /// <summary>Board folder name, e.g. "native-sim".</summary>
        public string Name;
        /// <summary>Chip or platform, e.g. "ESP32-WROVER-E".</summary>
        public string Chip;
        /// <summary>Managed heap the static pools must fit in (DESIGN.md §5).</summary>
        public long HeapBudgetBytes;
        /// <summary>Pool sizes.</summary>
        public Capacities Capacities;

        /// <summary>Creates a board description.</summary>
        public BoardInfo(string name, string chip, long heapBudgetBytes, Capacities capacities)
        {
            Name = name;
            Chip = chip;
            HeapBudgetBytes = heapBudgetBytes;
            Capacities = capacities;
        }
    }
}
