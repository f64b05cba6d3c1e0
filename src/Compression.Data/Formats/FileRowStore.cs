using System.Runtime.InteropServices;
using Compression.Abstractions.Data;
using Microsoft.Win32.SafeHandles;

namespace Compression.Data.Formats;

/// <summary>
/// Rows of float32 values (native byte order) stored one after another in a file from a given offset,
/// read with positioned reads into the caller's buffer: only the rows being read are in the process's
/// memory (the operating system's file cache keeps what it has room for), so a split larger than
/// memory is served a batch at a time. The store holds the file open for its lifetime.
/// </summary>
public sealed class FileRowStore : RowStore
{
    private readonly SafeFileHandle _file;
    private readonly long _offset;

    private readonly string? _path;

    private FileRowStore(SafeFileHandle file, string? path, long offset, int count, int sampleSize)
        : base(count, sampleSize)
    {
        _file = file;
        _path = path;
        _offset = offset;
    }

    /// <summary>Opens <paramref name="count"/> rows of <paramref name="sampleSize"/> floats at <paramref name="offset"/> of an open file, which the store then owns.</summary>
    /// <exception cref="InvalidDataException">The file is shorter than the rows.</exception>
    public static FileRowStore Of(SafeFileHandle file, long offset, int count, int sampleSize) => Of(file, null, offset, count, sampleSize);

    private static FileRowStore Of(SafeFileHandle file, string? path, long offset, int count, int sampleSize)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        long end = offset + ((long)count * sampleSize * sizeof(float));
        long length = RandomAccess.GetLength(file);
        if (length < end)
        {
            throw new InvalidDataException($"the file holds {length:N0} bytes; {count:N0} rows of {sampleSize:N0} floats from byte {offset:N0} need {end:N0}");
        }
        return new FileRowStore(file, path, offset, count, sampleSize);
    }

    /// <summary>
    /// Opens the rows of the file <paramref name="path"/>. With <paramref name="deleteWhenClosed"/>,
    /// the file is temporary: it goes when the store is closed or collected, or at once where open
    /// files can be unlinked (Linux, macOS), so not even a killed process leaves it behind.
    /// </summary>
    public static FileRowStore Open(string path, long offset, int count, int sampleSize, bool deleteWhenClosed)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool unlinkNow = deleteWhenClosed && !OperatingSystem.IsWindows();
        FileOptions options = FileOptions.RandomAccess | (deleteWhenClosed && !unlinkNow ? FileOptions.DeleteOnClose : FileOptions.None);
        SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, options);
        try
        {
            if (unlinkNow)
            {
                File.Delete(path);
            }
            return Of(file, path, offset, count, sampleSize);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    protected override void Read(int start, int count, Span<float> destination)
    {
        long position = _offset + ((long)start * SampleSize * sizeof(float));
        // In pieces of at most 1 GiB: a span of bytes over more floats than that would overflow its length.
        for (int done = 0; done < destination.Length;)
        {
            Span<byte> bytes = MemoryMarshal.AsBytes(destination.Slice(done, Math.Min(destination.Length - done, 1 << 28)));
            done += bytes.Length / sizeof(float);
            while (!bytes.IsEmpty)
            {
                int read = RandomAccess.Read(_file, bytes, position);
                if (read == 0)
                {
                    throw new IOException($"the rows' file{(_path is null ? "" : $" {_path}")} ended at byte {position:N0}: it was truncated while in use");
                }
                bytes = bytes[read..];
                position += read;
            }
        }
    }
}
