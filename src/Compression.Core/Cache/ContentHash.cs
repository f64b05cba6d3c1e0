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
    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Identity of the code that produced something: assembly name, version and module id (changes with every code change in a deterministic build).</summary>
    public static string OfAssembly(System.Reflection.Assembly assembly) =>
        $"{assembly.GetName().Name}/{assembly.GetName().Version}/{assembly.ManifestModule.ModuleVersionId:N}";

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
