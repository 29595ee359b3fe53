using System;
using System.IO;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Hal.Host;

namespace VpnAppliance.Hal.Tests;

/// <summary>
/// IFlashStore contract, including the power-loss semantics of its doc comment, checked by
/// cutting the power after every possible byte of a small erase/write sequence.
/// </summary>
public abstract class FlashContractTests : IDisposable
{
    protected const int Slots = 2;
    protected const int Size = 64;

    /// <summary>A new, never written store.</summary>
    protected abstract IFlashStore CreateFresh();

    /// <summary>Arms the power cut after <paramref name="bytes"/> more bytes erased/programmed.</summary>
    protected abstract void ArmCut(IFlashStore store, long bytes);

    /// <summary>Power back on / boot again; returns the store to use from now on.</summary>
    protected abstract IFlashStore Reboot(IFlashStore store);

    public virtual void Dispose()
    {
    }

    [Fact]
    public void FreshStoreIsErased()
    {
        IFlashStore f = CreateFresh();
        Assert.Equal(Slots, f.SlotCount);
        Assert.Equal(Size, f.SlotSize);
        byte[] b = new byte[Size];
        for (int s = 0; s < Slots; s++)
        {
            Assert.Equal(FlashResult.Ok, f.Read(s, 0, b, 0, Size));
            Assert.All(b, x => Assert.Equal(f.ErasedValue, x));
        }
    }

    [Fact]
    public void WriteReadEraseAndOverwrite()
    {
        IFlashStore f = CreateFresh();
        byte[] data = { 1, 2, 3, 0, 0xFF };
        Assert.Equal(FlashResult.Ok, f.Write(1, 10, data, 0, 5));
        byte[] b = new byte[7];
        Assert.Equal(FlashResult.Ok, f.Read(1, 9, b, 1, 6));
        Assert.Equal(new byte[] { 0, 0xFF, 1, 2, 3, 0, 0xFF }, b);
        // Overwriting a programmed byte is allowed by the contract (no NOR AND-semantics visible).
        Assert.Equal(FlashResult.Ok, f.Write(1, 12, new byte[] { 0xF0 }, 0, 1));
        Assert.Equal(FlashResult.Ok, f.Read(1, 12, b, 0, 1));
        Assert.Equal(0xF0, b[0]);
        Assert.Equal(FlashResult.Ok, f.Erase(1));
        Assert.Equal(FlashResult.Ok, f.Read(1, 10, b, 0, 5));
        Assert.All(b.AsSpan(0, 5).ToArray(), x => Assert.Equal(f.ErasedValue, x));
        Assert.Equal(FlashResult.Ok, f.Read(0, 0, b, 0, 7));
        Assert.All(b, x => Assert.Equal(f.ErasedValue, x));
    }

    [Fact]
    public void RangesAreChecked()
    {
        IFlashStore f = CreateFresh();
        byte[] b = new byte[Size + 1];
        Assert.Equal(FlashResult.OutOfRange, f.Erase(Slots));
        Assert.Equal(FlashResult.OutOfRange, f.Erase(-1));
        Assert.Equal(FlashResult.OutOfRange, f.Write(0, 1, b, 0, Size));
        Assert.Equal(FlashResult.OutOfRange, f.Write(0, -1, b, 0, 1));
        Assert.Equal(FlashResult.OutOfRange, f.Read(0, 0, b, 2, Size));
        Assert.Equal(FlashResult.OutOfRange, f.Read(2, 0, b, 0, 1));
        Assert.Equal(FlashResult.Ok, f.Read(0, Size, b, 0, 0));
        Assert.Equal(FlashResult.Ok, f.Write(0, 0, b, 0, Size));
    }

    [Fact]
    public void EveryOperationFailsAfterACutUntilReboot()
    {
        IFlashStore f = CreateFresh();
        Assert.Equal(FlashResult.Ok, f.Write(0, 0, new byte[] { 1, 2, 3 }, 0, 3));
        ArmCut(f, 0);
        byte[] b = new byte[3];
        Assert.Equal(FlashResult.IoError, f.Read(0, 0, b, 0, 3));
        Assert.Equal(FlashResult.IoError, f.Erase(0));
        Assert.Equal(FlashResult.IoError, f.Write(0, 0, b, 0, 1));
        f = Reboot(f);
        Assert.Equal(FlashResult.Ok, f.Read(0, 0, b, 0, 3));
        Assert.Equal(new byte[] { 1, 2, 3 }, b);
    }

    // The sequence cut at every byte: erase slot 1, write 20 + 12 bytes into it, write 8 into slot 0.
    private static readonly Op[] Sequence =
    {
        new Op(1, -1, 0),
        new Op(1, 0, 20),
        new Op(1, 20, 12),
        new Op(0, 5, 8),
    };

    [Fact]
    public void PowerLossAtEveryByteLeavesOnlyTheDocumentedStates()
    {
        int total = 0;
        foreach (Op op in Sequence)
        {
            total += op.Offset < 0 ? Size : op.Count;
        }

        for (int cut = 0; cut <= total; cut++)
        {
            CheckCut(cut);
        }
    }

    private void CheckCut(int cut)
    {
        IFlashStore f = CreateFresh();
        byte erased = f.ErasedValue;

        // Old content: both slots fully programmed with a pattern.
        var image = new Cell[Slots, Size];
        for (int s = 0; s < Slots; s++)
        {
            byte[] old = new byte[Size];
            for (int i = 0; i < Size; i++)
            {
                old[i] = (byte)(s * 100 + i * 3 + 1);
                image[s, i] = Cell.Exactly(old[i]);
            }

            Assert.Equal(FlashResult.Ok, f.Write(s, 0, old, 0, Size));
        }

        ArmCut(f, cut);
        long budget = cut;
        bool powerOn = cut > 0;
        foreach (Op op in Sequence)
        {
            int n = op.Offset < 0 ? Size : op.Count;
            byte[] data = Data(op);
            FlashResult r = op.Offset < 0 ? f.Erase(op.Slot) : f.Write(op.Slot, op.Offset, data, 0, op.Count);
            if (!powerOn)
            {
                Assert.True(r == FlashResult.IoError, $"cut={cut}: operation after the cut returned {r}");
                continue;
            }

            int done = (int)Math.Min(budget, n);
            for (int i = 0; i < n; i++)
            {
                int at = (op.Offset < 0 ? 0 : op.Offset) + i;
                if (op.Offset < 0)
                {
                    // Erase: done bytes... the contract only promises "any mixture of old and erased".
                    image[op.Slot, at] = done == n ? Cell.Exactly(erased) : Cell.Either(image[op.Slot, at].A, erased);
                }
                else if (i < done)
                {
                    image[op.Slot, at] = Cell.Exactly(data[i]);
                }
                else if (i == done)
                {
                    image[op.Slot, at] = Cell.Any; // the byte being programmed at the cut
                }
            }

            budget -= done;
            if (done < n)
            {
                Assert.True(r == FlashResult.IoError, $"cut={cut}: interrupted operation returned {r}");
                powerOn = false;
                continue;
            }

            Assert.True(r == FlashResult.Ok, $"cut={cut}: completed operation returned {r}");
            if (budget == 0)
            {
                powerOn = false;
            }
        }

        byte[] probe = new byte[1];
        Assert.Equal(FlashResult.IoError, f.Read(0, 0, probe, 0, 1));

        f = Reboot(f);
        byte[] got = new byte[Size];
        for (int s = 0; s < Slots; s++)
        {
            Assert.Equal(FlashResult.Ok, f.Read(s, 0, got, 0, Size));
            for (int i = 0; i < Size; i++)
            {
                Assert.True(image[s, i].Allows(got[i]), $"cut={cut}: slot {s} byte {i} = 0x{got[i]:X2}, expected {image[s, i]}");
            }
        }
    }

    private static byte[] Data(Op op)
    {
        byte[] d = new byte[Math.Max(op.Count, 0)];
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = (byte)(0xA0 ^ (op.Offset + i * 11));
        }

        return d;
    }

    private readonly record struct Op(int Slot, int Offset, int Count);

    private readonly record struct Cell(byte A, byte B, bool Anything)
    {
        public static Cell Exactly(byte v) => new Cell(v, v, false);
        public static Cell Either(byte a, byte b) => new Cell(a, b, false);
        public static Cell Any => new Cell(0, 0, true);
        public bool Allows(byte v) => Anything || v == A || v == B;
        public override string ToString() => Anything ? "any" : A == B ? $"0x{A:X2}" : $"0x{A:X2} or 0x{B:X2}";
    }
}

public sealed class MemoryFlashContractTests : FlashContractTests
{
    protected override IFlashStore CreateFresh() => new MemoryFlash(Slots, Size, 0xFF);

    protected override void ArmCut(IFlashStore store, long bytes) => ((MemoryFlash)store).PowerFailsAfter(bytes);

    protected override IFlashStore Reboot(IFlashStore store)
    {
        ((MemoryFlash)store).RestorePower();
        return store;
    }

    [Fact]
    public void ExactCutShapeAndCounters()
    {
        var f = new MemoryFlash(2, 8, 0xFF);
        f.TornByteValue = 0x77;
        f.PowerFailsAfter(3);
        Assert.Equal(FlashResult.IoError, f.Write(0, 1, new byte[] { 1, 2, 3, 4, 5 }, 0, 5));
        Assert.False(f.PowerOn);
        Assert.Equal(new byte[] { 0xFF, 1, 2, 3, 0x77, 0xFF, 0xFF, 0xFF }, Dump(f, 0));
        Assert.Equal(1, f.PowerCuts);
        f.RestorePower();
        Assert.Equal(FlashResult.Ok, f.Write(1, 0, new byte[] { 9, 9 }, 0, 2));
        f.PowerFailsAfter(5);
        Assert.Equal(FlashResult.IoError, f.Erase(1));
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, Dump(f, 1));
        Assert.Equal(3 + 2, f.BytesProgrammed);
        Assert.Equal(5, f.BytesErased);
    }

    private static byte[] Dump(MemoryFlash f, int slot)
    {
        byte[] b = new byte[f.SlotSize];
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = f.PeekByte(slot, i);
        }

        return b;
    }
}

public sealed class FileFlashContractTests : FlashContractTests
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hal-flash-" + Guid.NewGuid().ToString("N"));
    private int _files;
    private FileFlash? _open;

    public FileFlashContractTests() => Directory.CreateDirectory(_dir);

    protected override IFlashStore CreateFresh()
    {
        _open?.Dispose();
        _open = new FileFlash(Path.Combine(_dir, $"flash{_files++}.bin"), Slots, Size);
        return _open;
    }

    protected override void ArmCut(IFlashStore store, long bytes) => ((FileFlash)store).PowerFailsAfter(bytes);

    protected override IFlashStore Reboot(IFlashStore store)
    {
        _open?.Dispose();
        _open = new FileFlash(Path.Combine(_dir, $"flash{_files - 1}.bin"), Slots, Size);
        return _open;
    }

    public override void Dispose()
    {
        _open?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void WrongSizedFileIsRefused()
    {
        string p = Path.Combine(_dir, "odd.bin");
        File.WriteAllBytes(p, new byte[10]);
        Assert.Throws<InvalidDataException>(() => new FileFlash(p, Slots, Size));
    }
}
