using System.Buffers.Binary;
using System.IO.Compression;

namespace Compression.Data.Tests;

/// <summary>A temporary folder per test, and writers for tiny IDX and CSV files.</summary>
public sealed class TestFiles : IDisposable
{
    public TestFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "compression-data-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Writes an IDX file: magic 00 00 type rank, big-endian dims, then the payload.</summary>
    public string WriteIdx(string name, byte type, int[] dimensions, byte[] payload, bool gzip = false)
    {
        var bytes = new byte[4 + (4 * dimensions.Length) + payload.Length];
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dimensions[i]);
        }
        payload.CopyTo(bytes, 4 + (4 * dimensions.Length));
        return WriteBytes(name, bytes, gzip);
    }

    public string WriteBytes(string name, byte[] bytes, bool gzip = false)
    {
        string path = PathOf(name);
        if (gzip)
        {
            using var output = File.Create(path);
            using var compressor = new GZipStream(output, CompressionLevel.Fastest);
            compressor.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }
        return path;
    }

    /// <summary>
    /// Writes a gzip bomb: <paramref name="prefix"/>, then <paramref name="megabytes"/> MiB of zeros as
    /// that many gzip members of 1 MiB each (about 1 KB on disk per MiB).
    /// </summary>
    public string WriteGzipBomb(string name, byte[] prefix, int megabytes)
    {
        string path = PathOf(name);
        using FileStream file = File.Create(path);
        file.Write(Gzip(prefix));
        byte[] megabyte = Gzip(new byte[1 << 20]);
        for (int i = 0; i < megabytes; i++)
        {
            file.Write(megabyte);
        }
        return path;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }
        return output.ToArray();
    }

    public string WriteText(string name, string text)
    {
        string path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
