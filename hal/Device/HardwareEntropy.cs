using System;

namespace VpnAppliance.Hal.Device
{
    /// <summary>
    /// Entropy from the chip's random number generator, reached through <c>System.Random</c>.
    ///
    /// What is known (nanoFramework nf-interpreter, native <c>CLR_RT_Random</c> per target,
    /// targets/ESP32/_nanoCLR/targetRandom.cpp and targets/ChibiOS/_nanoCLR/targetRandom.cpp):
    /// on ESP32 every <c>Random</c> call returns <c>esp_random()</c> (the seed is ignored); on the
    /// ChibiOS (STM32) targets it reads the STM32 RNG peripheral (or a TRNG driver) and the seed is
    /// ignored too. The managed API does not say this; it is a property of those firmware builds,
    /// so other targets may still be a seeded PRNG.
    ///
    /// Limitation: the ESP-IDF documentation of <c>esp_random()</c> (API reference, "Random Number
    /// Generation") states that its output is truly random only while an entropy source is running: Wi-Fi or Bluetooth RF enabled, or the bootloader's SAR ADC source
    /// (<c>bootloader_random_enable()</c>). An Ethernet-only ESP32 board with Wi-Fi off may get
    /// pseudo-random output. We cannot start either source from managed code. Mitigation here:
    /// each byte is XOR-mixed with the low bits of <c>Environment.TickCount64</c> and with a
    /// byte from a second draw, which adds timing jitter but no real guarantee. The DRBG seeded
    /// from this source must therefore also mix in event timing over time (reseeds), and the board
    /// profile should record whether RF is enabled.
    /// </summary>
    public sealed class HardwareEntropy : IEntropySource
    {
        private readonly Random _random = new Random();
        private readonly byte[] _scratch = new byte[32];
        private int _used = 32;
        private uint _mix;

        /// <summary>Fills the range; returns count (0 for a bad range).</summary>
        public int Fill(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                return 0;
            }

            for (int i = 0; i < count; i++)
            {
                if (_used == _scratch.Length)
                {
                    _random.NextBytes(_scratch);
                    _used = 0;
                }

                // Tick jitter: the call timing varies with interrupts and the event loop's work.
                _mix = (_mix * 1103515245u + 12345u) ^ (uint)Environment.TickCount64;
                buffer[offset + i] = (byte)(_scratch[_used++] ^ (byte)(_random.Next() >> 7) ^ (byte)(_mix >> 16));
            }

            return count;
        }
    }
}
