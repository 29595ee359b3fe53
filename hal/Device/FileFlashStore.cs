using System;
using System.IO;

namespace VpnAppliance.Hal.Device
{
    /// <summary>
    /// Flash slots as fixed-size files on the board's internal flash file system (drive <c>I:\</c>,
    /// System.IO.FileSystem): slot i is <c>&lt;directory&gt;&lt;prefix&gt;i.bin</c> of exactly SlotSize
    /// bytes, held open; every Write/Erase ends with <c>Flush()</c>, after which the bytes have been
    /// handed to the file system driver.
    ///
    /// What the platform guarantees on power loss, honestly: the managed API documents none. The
    /// file system behind I:\ depends on the firmware build (its driver, not our code, decides
    /// whether a half-finished write is rolled back, left partial, or torn inside a flash page).
    /// So this class does NOT promise the <see cref="IFlashStore"/> "prefix written, rest old"
    /// shape for an interrupted Write or Erase: treat the slot being written as arbitrary after a
    /// cut. What makes the config store safe anyway is the part of the contract users must assume
    /// regardless: each record carries its own length, sequence number and CRC, and the A/B
    /// scheme writes one slot while the other keeps the last good record. A torn, rolled-back or
    /// mixed slot fails its CRC (or shows the older sequence number) and the other slot is used.
    /// Writes to one slot file never touch another slot file's data.
    /// Not verified on hardware here: whether Flush() reaches the medium before returning on every
    /// target (a driver-side cache would weaken "Ok means durable").
    /// </summary>
    public sealed class FileFlashStore : IFlashStore
    {
        /// <summary>The internal flash drive of nanoFramework targets.</summary>
        public const string InternalDrive = "I:\\";

        private readonly FileStream[] _files;
        private readonly int _slotSize;
        private readonly byte _erased;
        private readonly byte[] _erasedChunk = new byte[256];

        /// <summary>
        /// Opens (creating, fully erased, when missing or of another size) <paramref name="slotCount"/>
        /// slot files of <paramref name="slotSize"/> bytes in <paramref name="directory"/> (ending with '\').
        /// </summary>
        public FileFlashStore(string directory, string prefix, int slotCount, int slotSize, byte erasedValue)
        {
            if (slotCount < 2)
            {
                throw new ArgumentOutOfRangeException("slotCount");
            }

            if (slotSize < 1)
            {
                throw new ArgumentOutOfRangeException("slotSize");
            }

            _slotSize = slotSize;
            _erased = erasedValue;
            for (int i = 0; i < _erasedChunk.Length; i++)
            {
                _erasedChunk[i] = erasedValue;
            }

            _files = new FileStream[slotCount];
            for (int s = 0; s < slotCount; s++)
            {
                string path = directory + prefix + s.ToString() + ".bin";
                bool fresh = !File.Exists(path);
                _files[s] = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                if (fresh || _files[s].Length != slotSize)
                {
                    _files[s].SetLength(0);
                    FillErased(_files[s], 0, slotSize);
                    _files[s].Flush();
                }
            }
        }

        /// <summary>Number of slots.</summary>
        public int SlotCount { get { return _files.Length; } }

        /// <summary>Bytes per slot.</summary>
        public int SlotSize { get { return _slotSize; } }

        /// <summary>Value of an erased byte.</summary>
        public byte ErasedValue { get { return _erased; } }

        /// <summary>Rewrites the whole slot file with ErasedValue.</summary>
        public FlashResult Erase(int slot)
        {
            if (slot < 0 || slot >= _files.Length)
            {
                return FlashResult.OutOfRange;
            }

            try
            {
                FillErased(_files[slot], 0, _slotSize);
                _files[slot].Flush();
                return FlashResult.Ok;
            }
            catch (Exception)
            {
                return FlashResult.IoError;
            }
        }

        /// <summary>Writes the bytes at the offset and flushes.</summary>
        public FlashResult Write(int slot, int slotOffset, byte[] data, int dataOffset, int count)
        {
            if (!InRange(slot, slotOffset, count) || data == null || dataOffset < 0 || dataOffset > data.Length - count)
            {
                return FlashResult.OutOfRange;
            }

            try
            {
                FileStream f = _files[slot];
                f.Seek(slotOffset, SeekOrigin.Begin);
                f.Write(data, dataOffset, count);
                f.Flush();
                return FlashResult.Ok;
            }
            catch (Exception)
            {
                return FlashResult.IoError;
            }
        }

        /// <summary>Reads the bytes at the offset.</summary>
        public FlashResult Read(int slot, int slotOffset, byte[] buffer, int bufferOffset, int count)
        {
            if (!InRange(slot, slotOffset, count) || buffer == null || bufferOffset < 0 || bufferOffset > buffer.Length - count)
            {
                return FlashResult.OutOfRange;
            }

            try
            {
                FileStream f = _files[slot];
                f.Seek(slotOffset, SeekOrigin.Begin);
                int done = 0;
                while (done < count)
                {
                    int n = f.Read(buffer, bufferOffset + done, count - done);
                    if (n <= 0)
                    {
                        return FlashResult.IoError;
                    }

                    done += n;
                }

                return FlashResult.Ok;
            }
            catch (Exception)
            {
                return FlashResult.IoError;
            }
        }

        private bool InRange(int slot, int slotOffset, int count)
        {
            return slot >= 0 && slot < _files.Length && slotOffset >= 0 && count >= 0 && slotOffset <= _slotSize - count;
        }

        private void FillErased(FileStream f, int from, int count)
        {
            f.Seek(from, SeekOrigin.Begin);
            while (count > 0)
            {
                int n = count < _erasedChunk.Length ? count : _erasedChunk.Length;
                f.Write(_erasedChunk, 0, n);
                count -= n;
            }
        }
    }
}
