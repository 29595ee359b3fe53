using System;
using System.IO;

namespace VpnAppliance.Hal.Host;

/// <summary>
/// Flash slots in one file (slot i at offset i * SlotSize). Every Write/Erase ends with
/// <c>Flush(true)</c> (fsync), so Ok means durable as <see cref="IFlashStore"/> requires.
///
/// Power-loss simulation (<see cref="PowerFailsAfter"/>): once n more bytes have been erased or
/// programmed across operations the write stops exactly as the contract allows: an erase has set
/// bytes [0, k) of the slot, a write has programmed bytes [0, k) and byte k holds
/// <see cref="TornByteValue"/>; the interrupted operation and every later one return IoError.
/// An operation that ends exactly on the budget completes and the power dies after it.
/// Disposing and opening the file again is the reboot.
/// </summary>
public sealed class FileFlash : IFlashStore, IDisposable
{
    private readonly FileStream _file;
    private readonly int _slotCount;
    private readonly int _slotSize;
    private readonly byte _erased;
    private readonly byte[] _erasedSlot;
    private long _budget = -1;
    private bool _powerOn = true;

    /// <summary>
    /// Opens (or creates, fully erased) the file holding <paramref name="slotCount"/> slots of
    /// <paramref name="slotSize"/> bytes. An existing file of another size is refused.
    /// </summary>
    public FileFlash(string path, int slotCount, int slotSize, byte erasedValue = 0xFF)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slotCount, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, 1);
        _slotCount = slotCount;
        _slotSize = slotSize;
        _erased = erasedValue;
        _erasedSlot = new byte[slotSize];
        _erasedSlot.AsSpan().Fill(erasedValue);
        long size = (long)slotCount * slotSize;
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.None);
        if (_file.Length == 0)
        {
            for (int i = 0; i < slotCount; i++)
            {
                _file.Write(_erasedSlot, 0, slotSize);
            }

            _file.Flush(true);
        }
        else if (_file.Length != size)
        {
            _file.Dispose();
            throw new InvalidDataException($"{path}: {size} bytes expected ({slotCount} x {slotSize}), found another size");
        }

        TornByteValue = 0x5A;
    }

    /// <summary>Number of slots.</summary>
    public int SlotCount => _slotCount;

    /// <summary>Bytes per slot.</summary>
    public int SlotSize => _slotSize;

    /// <summary>Value of an erased byte.</summary>
    public byte ErasedValue => _erased;

    /// <summary>What the byte being programmed at a simulated cut ends up holding.</summary>
    public byte TornByteValue { get; set; }

    /// <summary>False after a simulated power cut (for good: reopen the file to reboot).</summary>
    public bool PowerOn => _powerOn;

    /// <summary>Bytes programmed by writes (including a partial one).</summary>
    public long BytesProgrammed { get; private set; }

    /// <summary>Bytes erased (including a partial erase).</summary>
    public long BytesErased { get; private set; }

    /// <summary>Arms a cut after <paramref name="bytes"/> more bytes erased/programmed; 0 cuts now; -1 disarms.</summary>
    public void PowerFailsAfter(long bytes)
    {
        if (bytes == 0)
        {
            _powerOn = false;
            return;
        }

        _budget = bytes;
    }

    /// <summary>Erases the slot.</summary>
    public FlashResult Erase(int slot)
    {
        if (!_powerOn)
        {
            return FlashResult.IoError;
        }

        if (slot < 0 || slot >= _slotCount)
        {
            return FlashResult.OutOfRange;
        }

        int done = Allowance(_slotSize);
        try
        {
            _file.Position = (long)slot * _slotSize;
            _file.Write(_erasedSlot, 0, done);
            _file.Flush(true);
        }
        catch (IOException)
        {
            _powerOn = false;
            return FlashResult.IoError;
        }

        BytesErased += done;
        return Finish(done, _slotSize);
    }

    /// <summary>Programs bytes in increasing address order, durably.</summary>
    public FlashResult Write(int slot, int slotOffset, byte[] data, int dataOffset, int count)
    {
        if (!_powerOn)
        {
            return FlashResult.IoError;
        }

        if (!InRange(slot, slotOffset, count) || data == null || dataOffset < 0 || dataOffset > data.Length - count)
        {
            return FlashResult.OutOfRange;
        }

        int done = Allowance(count);
        try
        {
            _file.Position = (long)slot * _slotSize + slotOffset;
            _file.Write(data, dataOffset, done);
            if (done < count)
            {
                _file.WriteByte(TornByteValue);
            }

            _file.Flush(true);
        }
        catch (IOException)
        {
            _powerOn = false;
            return FlashResult.IoError;
        }

        BytesProgrammed += done;
        return Finish(done, count);
    }

    /// <summary>Reads bytes (IoError after a simulated cut).</summary>
    public FlashResult Read(int slot, int slotOffset, byte[] buffer, int bufferOffset, int count)
    {
        if (!_powerOn)
        {
            return FlashResult.IoError;
        }

        if (!InRange(slot, slotOffset, count) || buffer == null || bufferOffset < 0 || bufferOffset > buffer.Length - count)
        {
            return FlashResult.OutOfRange;
        }

        try
        {
            _file.Position = (long)slot * _slotSize + slotOffset;
            _file.ReadExactly(buffer, bufferOffset, count);
            return FlashResult.Ok;
        }
        catch (Exception e) when (e is IOException)
        {
            return FlashResult.IoError;
        }
    }

    /// <summary>Closes the file (the content stays as the last operation, or the cut, left it).</summary>
    public void Dispose() => _file.Dispose();

    private bool InRange(int slot, int slotOffset, int count) =>
        slot >= 0 && slot < _slotCount && slotOffset >= 0 && count >= 0 && slotOffset <= _slotSize - count;

    private int Allowance(int wanted) => _budget < 0 || _budget >= wanted ? wanted : (int)_budget;

    private FlashResult Finish(int done, int wanted)
    {
        if (_budget < 0)
        {
            return FlashResult.Ok;
        }

        _budget -= done;
        if (done < wanted || _budget == 0)
        {
            _powerOn = false;
            _budget = -1;
            return done < wanted ? FlashResult.IoError : FlashResult.Ok;
        }

        return FlashResult.Ok;
    }
}
