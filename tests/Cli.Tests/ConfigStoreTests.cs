using System.Text;
using VpnAppliance.Cli.Store;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Hal.Host;

namespace VpnAppliance.Cli.Tests;

public class ConfigStoreTests
{
    private static byte[] Text(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void Crc32_CheckValue()
    {
        // CRC-32/ISO-HDLC check value of "123456789".
        Assert.Equal(0xCBF43926u, Crc32.Compute(Text("123456789"), 0, 9));
    }

    [Fact]
    public void EmptyFlash_LoadsNothing()
    {
        var store = new ConfigStore(new MemoryFlash(2, 4096, 0xFF));
        Assert.Equal(StoreResult.Empty, store.Load(out byte[]? payload));
        Assert.Null(payload);
    }

    [Fact]
    public void Saves_AlternateSlots_AndNewestWins()
    {
        var flash = new MemoryFlash(2, 4096, 0xFF);
        var store = new ConfigStore(flash);
        Assert.Equal(StoreResult.Ok, store.Save(Text("one"), 0, 3));
        Assert.Equal(0, store.CurrentSlot);
        Assert.Equal(StoreResult.Ok, store.Save(Text("two"), 0, 3));
        Assert.Equal(1, store.CurrentSlot);
        Assert.Equal(StoreResult.Ok, store.Save(Text("three"), 0, 5));
        Assert.Equal(0, store.CurrentSlot);

        var reboot = new ConfigStore(flash);
        Assert.Equal(StoreResult.Ok, reboot.Load(out byte[]? payload));
        Assert.Equal("three", Encoding.ASCII.GetString(payload!));
        Assert.Equal(3u, reboot.Sequence);
    }

    [Fact]
    public void TooLarge_IsRefused_AndChangesNothing()
    {
        var flash = new MemoryFlash(2, 64, 0xFF);
        var store = new ConfigStore(flash);
        Assert.Equal(StoreResult.Ok, store.Save(Text("keep"), 0, 4));
        Assert.Equal(StoreResult.TooLarge, store.Save(new byte[49], 0, 49));
        Assert.Equal(StoreResult.Ok, new ConfigStore(flash).Load(out byte[]? p));
        Assert.Equal("keep", Encoding.ASCII.GetString(p!));
    }

    [Fact]
    public void CorruptedCurrentSlot_FallsBackToTheOther()
    {
        var flash = new MemoryFlash(2, 256, 0xFF);
        var store = new ConfigStore(flash);
        store.Save(Text("old"), 0, 3);
        store.Save(Text("new"), 0, 3);
        flash.Write(1, ConfigStore.HeaderLength, new byte[] { (byte)'N' }, 0, 1); // bit rot in the newest record
        Assert.Equal(StoreResult.Ok, new ConfigStore(flash).Load(out byte[]? p));
        Assert.Equal("old", Encoding.ASCII.GetString(p!));
    }

    [Fact]
    public void SequenceWraps_InSerialNumberOrder()
    {
        // Slot 0 holds sequence 0xFFFFFFFF, slot 1 sequence 0 (written after the wrap): slot 1 is newer (RFC 1982).
        var flash = new MemoryFlash(2, 256, 0xFF);
        WriteRecord(flash, 0, 0xFFFFFFFF, "before-wrap");
        WriteRecord(flash, 1, 0, "after-wrap");
        Assert.Equal(StoreResult.Ok, new ConfigStore(flash).Load(out byte[]? p));
        Assert.Equal("after-wrap", Encoding.ASCII.GetString(p!));
    }

    private static void WriteRecord(MemoryFlash flash, int slot, uint sequence, string text)
    {
        byte[] payload = Text(text);
        byte[] h = new byte[16];
        BitConverter.GetBytes(ConfigStore.Magic).CopyTo(h, 0);
        BitConverter.GetBytes(sequence).CopyTo(h, 4);
        BitConverter.GetBytes((uint)payload.Length).CopyTo(h, 8);
        uint crc = Crc32.Final(Crc32.Update(Crc32.Update(Crc32.Initial, h, 0, 12), payload, 0, payload.Length));
        BitConverter.GetBytes(crc).CopyTo(h, 12);
        flash.Erase(slot);
        flash.Write(slot, 0, h, 0, 16);
        flash.Write(slot, 16, payload, 0, payload.Length);
    }

    /// <summary>
    /// The power-loss proof: for every byte offset of a save (erase bytes included) the supply dies there;
    /// after the reboot the store holds either the old or the new record, never a corrupt one and never none.
    /// Run for the first save onto an empty flash (old = none is then allowed), for a save onto a full
    /// history, with both torn-byte values, on the RAM double and on the host file flash.
    /// </summary>
    [Theory]
    [InlineData((byte)0x5A)]
    [InlineData((byte)0x00)]
    [InlineData((byte)0xFF)]
    public void PowerCut_AtEveryByteOfASave_BootsOldOrNew(byte torn)
    {
        const int slotSize = 512;
        string oldText = "set system host-name old-config\n";
        string newText = "set system host-name new-config\nset interfaces lan address 192.168.1.1/24\n";

        // The byte budget of one complete save: erase of a slot + header + payload.
        long total = slotSize + ConfigStore.HeaderLength + newText.Length;
        int oldSeen = 0, newSeen = 0;
        for (long cut = 0; cut <= total; cut++)
        {
            var flash = new MemoryFlash(2, slotSize, 0xFF) { TornByteValue = torn };
            var store = new ConfigStore(flash);
            Assert.Equal(StoreResult.Ok, store.Save(Text(oldText), 0, oldText.Length));
            if (cut % 2 == 1)
            {
                // Also start from a history of two records (the save overwrites the older one).
                Assert.Equal(StoreResult.Ok, store.Save(Text(oldText), 0, oldText.Length));
            }

            flash.PowerFailsAfter(cut);
            StoreResult saved = store.Save(Text(newText), 0, newText.Length);
            flash.RestorePower(); // reboot

            var boot = new ConfigStore(flash);
            Assert.Equal(StoreResult.Ok, boot.Load(out byte[]? p));
            string loaded = Encoding.ASCII.GetString(p!);
            Assert.True(loaded == oldText || loaded == newText, $"cut after {cut} bytes: loaded '{loaded}'");
            if (saved == StoreResult.Ok)
            {
                Assert.Equal(newText, loaded); // a save that reported success is durable
            }

            if (loaded == oldText) oldSeen++; else newSeen++;
        }

        Assert.True(oldSeen > 0 && newSeen > 0);
    }

    [Fact]
    public void PowerCut_DuringFirstSave_BootsEmptyOrNew()
    {
        const int slotSize = 256;
        string newText = "set system host-name first\n";
        long total = slotSize + ConfigStore.HeaderLength + newText.Length;
        for (long cut = 0; cut <= total; cut++)
        {
            var flash = new MemoryFlash(2, slotSize, 0xFF);
            flash.PowerFailsAfter(cut);
            new ConfigStore(flash).Save(Text(newText), 0, newText.Length);
            flash.RestorePower();
            StoreResult r = new ConfigStore(flash).Load(out byte[]? p);
            Assert.True(r == StoreResult.Empty || Encoding.ASCII.GetString(p!) == newText, $"cut {cut}");
        }
    }

    [Fact]
    public void PowerCut_OnTheHostFileFlash_BootsOldOrNew()
    {
        const int slotSize = 256;
        string oldText = "set system host-name old\n";
        string newText = "set system host-name new\n";
        long total = slotSize + ConfigStore.HeaderLength + newText.Length;
        string path = Path.Combine(Path.GetTempPath(), $"cli-store-{Environment.ProcessId}-{Guid.NewGuid():N}.bin");
        try
        {
            for (long cut = 0; cut <= total; cut += 7)
            {
                File.Delete(path);
                using (var flash = new FileFlash(path, 2, slotSize))
                {
                    var store = new ConfigStore(flash);
                    store.Save(Text(oldText), 0, oldText.Length);
                    flash.PowerFailsAfter(cut);
                    store.Save(Text(newText), 0, newText.Length);
                }

                using (var flash = new FileFlash(path, 2, slotSize))
                {
                    Assert.Equal(StoreResult.Ok, new ConfigStore(flash).Load(out byte[]? p));
                    string loaded = Encoding.ASCII.GetString(p!);
                    Assert.True(loaded == oldText || loaded == newText, $"cut {cut}: '{loaded}'");
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
