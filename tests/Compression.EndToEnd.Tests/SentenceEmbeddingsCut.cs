namespace Compression.EndToEnd.Tests;

/// <summary>
/// The first rows of the sentence-embeddings sample's vendored data (Debian package descriptions), written once
/// into a temp folder and shared by a test class's runs: a few hundred training texts and query/document pairs
/// are enough to tell a good student from a bad one in seconds.
/// </summary>
public sealed class SentenceEmbeddingsCut : IDisposable
{
    /// <summary>Training texts in the cut.</summary>
    public const int TrainTexts = 200;

    /// <summary>Query/document pairs in the cut: enough that recall@10 is not trivial (each query searches all the documents).</summary>
    public const int TestPairs = 300;

    public static string SampleFolder { get; } = Path.Combine(RepoPaths.Root, "samples", "SentenceEmbeddings");

    public SentenceEmbeddingsCut()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllLines(TrainPath, CsvRecords(Path.Combine(SampleFolder, "data", "train.csv")).Take(TrainTexts + 1));
        File.WriteAllLines(TestPath, CsvRecords(Path.Combine(SampleFolder, "data", "test.csv")).Take(TestPairs + 1));
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    /// <summary>A "text" column.</summary>
    public string TrainPath => Path.Combine(Folder, "train.csv");

    /// <summary>"query" and "document" columns.</summary>
    public string TestPath => Path.Combine(Folder, "test.csv");

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>A CSV file's records (a quoted field may hold line breaks), each as its lines joined back.</summary>
    public static IEnumerable<string> CsvRecords(string path)
    {
        var record = new List<string>();
        foreach (string line in File.ReadLines(path))
        {
            record.Add(line);
            if (string.Join('\n', record).Count(c => c == '"') % 2 == 0)
            {
                yield return string.Join('\n', record);
                record.Clear();
            }
        }
    }
}
