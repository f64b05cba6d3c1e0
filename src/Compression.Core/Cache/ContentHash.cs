using System.Security.Cryptography;
using System.Text;

namespace Compression.Core.Cache;

/// <summary>SHA-256 helpers for cache keys and artifact integrity.</summary>
public static class ContentHash
{
    /// <summary>Hex SHA-256 of a file's bytes.</summary>
    public static string OfFile(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Hex SHA-256 over a file, or over a folder's files (relative path and content, in ordinal order).</summary>
    public static string OfPath(string path)
    {
        if (File.Exists(path))
        {
            return OfFile(path);
        }
        var builder = new KeyBuilder();
        foreach (string file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            builder.Add(Path.GetRelativePath(path, file).Replace('\\', '/')).Add(OfFile(file));
        }
        return builder.Build();
    }

    /// <summary>Hex SHA-256 of a UTF-8 string.</summary>
    /// <summary>SHA-256 of a split's samples as the trainer sees them: shape, features and labels.</summary>
    public static string OfSamples(Compression.Abstractions.Data.LabelledData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.SampleShape.AsSpan()));
        // A piece at a time: the split may be served from a file, larger than memory.
        int perRead = Math.Max(1, (1 << 20) / data.SampleSize);
        var buffer = new float[(long)Math.Min(perRead, Math.Max(data.Count, 1)) * data.SampleSize];
        for (int start = 0; start < data.Count; start += perRead)
        {
            int count = Math.Min(perRead, data.Count - start);
            data.CopyRows(start, count, buffer);
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.AsSpan(0, count * data.SampleSize)));
        }
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.Labels.AsSpan()));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Identity of the code that produced something: assembly name, version and module id (changes with every code change in a deterministic build).</summary>
    public static string OfAssembly(System.Reflection.Assembly assembly)
    {
        var key = new KeyBuilder().Add($"{assembly.GetName().Name}/{assembly.GetName().Version}/{assembly.ManifestModule.ModuleVersionId:N}");
        foreach (string dependency in PrivateDependencies(assembly))
        {
            key.Add(Path.GetFileName(dependency)).Add(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(dependency))));
        }
        return key.Build();
    }

    /// <summary>
    /// The non-framework assemblies a stage uses: those it carries beside it (e.g.
    /// Compression.Quantization.dll next to the quantize plugin) and those the host shares with it
    /// (e.g. Compression.Models), found through references, transitively. A change in one of them
    /// changes the stage's output as surely as a change in the stage itself, so it changes the key.
    /// </summary>
    internal static IEnumerable<string> PrivateDependencies(System.Reflection.Assembly assembly)
    {
        string? folder = string.IsNullOrEmpty(assembly.Location) ? null : Path.GetDirectoryName(assembly.Location);
        if (folder is null)
        {
            yield break;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<System.Reflection.AssemblyName>(assembly.GetReferencedAssemblies());
        while (pending.Count > 0)
        {
            string name = pending.Dequeue().Name + ".dll";
            string? file = new[] { folder, AppContext.BaseDirectory }.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists);
            if (file is null || !seen.Add(name))
            {
                continue;
            }
            yield return file;
            foreach (var reference in ReferencesOf(file))
            {
                pending.Enqueue(reference);
            }
        }
    }

    private static System.Reflection.AssemblyName[] ReferencesOf(string file)
    {
        using var stream = File.OpenRead(file);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        return metadata.AssemblyReferences.Select(handle => metadata.GetAssemblyReference(handle).GetAssemblyName()).ToArray();
    }

    /// <summary>Accumulates named parts into one key; parts are length-prefixed so they cannot run together.</summary>
    public sealed class KeyBuilder
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public KeyBuilder Add(string part)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(part);
            _hash.AppendData(BitConverter.GetBytes(bytes.Length));
            _hash.AppendData(bytes);
            return this;
        }

        public string Build() => Convert.ToHexStringLower(_hash.GetHashAndReset());
    }
}
