using System.Globalization;
using System.Text.Json;
using Compression.Data;
using Compression.Data.Formats;
using Compression.Data.Loading;

namespace Compression.Plugins.Images;

/// <summary>
/// The "images" format (torchvision's ImageFolder, Keras' image_dataset_from_directory): a split's
/// <c>path</c> is a folder with one subfolder per class (classes in ordinal order of the folder names,
/// the same in train and test), the transfer split's a folder of images anywhere below it. PNG and
/// JPEG files are decoded (<see cref="ImageDecoder"/>) into samples of <c>data.settings</c>
/// (<see cref="ImageFolderSettings"/>), values 0..255 for the data's normalisation to scale. A decoded
/// split is cached in the run's data cache folder under a hash of its files' paths and bytes and the
/// settings, so a second run reads it back instead of decoding again. A data set too large to hold in
/// memory (more than half of the memory budget, or <c>"stream": "always"</c>) is decoded a chunk at a
/// time into that cache file and served from it a batch at a time (see <see cref="ImageSplitReader"/>).
/// </summary>
public sealed class ImageFolderFormat : DataFormat
{
    /// <summary>Changes when what a cached split holds for the same files and settings changes.</summary>
    private const string CacheVersion = "images-decoded/1";

    private static readonly string[] s_systemFiles = ["thumbs.db", "desktop.ini"];

    /// <inheritdoc/>
    public override string Name => "images";

    /// <inheritdoc/>
    public override IReadOnlyList<string> FileKeys { get; } = ["path"];

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> FolderKeys { get; } = ["path"];

    /// <inheritdoc/>
    public override Type? SettingsType => typeof(ImageFolderSettings);

    /// <inheritdoc/>
    public override string FeaturesFileDescription => "a folder of images";

    /// <inheritdoc/>
    public override string ExampleFiles => "{\"path\": \"images/train\"} (a folder with one subfolder per class)";

    /// <summary>Every file below the folder except hidden ones (.DS_Store, .git/...) and Windows' Thumbs.db and desktop.ini.</summary>
    public override IReadOnlyList<string> FolderFiles(string folder) =>
        [.. base.FolderFiles(folder).Where(file => !s_systemFiles.Contains(Path.GetFileName(file), StringComparer.OrdinalIgnoreCase))];

    /// <inheritdoc/>
    public override DataFormatContent Read(DataSetOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = (ImageFolderSettings)(options.FormatSettings ?? throw new ArgumentException("data.settings: the images format needs its settings bound", nameof(options)));
        ImageFolderListing train = ImageFolderListing.Labelled(options.Train.Path!, FolderFiles(options.Train.Path!));
        ImageFolderListing test = ImageFolderListing.Labelled(options.Test.Path!, FolderFiles(options.Test.Path!));
        CheckSameClasses(train, test);
        ImageFolderListing? transfer = options.Transfer is DataFiles files ? ImageFolderListing.Unlabelled(files.Path!, FolderFiles(files.Path!)) : null;
        Func<ImageFolderListing, bool> stream = Streaming(options, settings, [train, test, transfer]);

        var reader = new ImageSplitReader(settings, SettingsKey(settings), options, stream, cancellationToken);
        DataFormatSplit trainSplit = reader.Read("train", train);
        DataFormatSplit testSplit = reader.Read("test", test);
        DataFormatSplit? transferSplit = transfer is null ? null : reader.Read("transfer", transfer);
        return new DataFormatContent(trainSplit, testSplit, transferSplit, train.ClassNames);
    }

    /// <summary>The settings that change the samples (not <see cref="ImageFolderSettings.Stream"/>, which changes only where they are kept), for the content hash.</summary>
    public override string? HashedSettings(DataSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.FormatSettings is ImageFolderSettings settings ? $"settings={SamplesJson(settings)};" : base.HashedSettings(options);
    }

    /// <summary>The settings that change the samples, for the baseline's test-set identity.</summary>
    public override IEnumerable<string> TestSetSettings(DataSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.FormatSettings is ImageFolderSettings settings ? [SamplesJson(settings)] : base.TestSetSettings(options);
    }

    /// <summary>The settings as the cache key takes them (the content hash takes them through <see cref="HashedSettings"/>).</summary>
    private static string SettingsKey(ImageFolderSettings settings) =>
        $"{CacheVersion};{SamplesJson(settings)}";

    /// <summary>The settings serialised as they were before <see cref="ImageFolderSettings.Stream"/> existed, so hashes and cache keys stay what they were.</summary>
    private static string SamplesJson(ImageFolderSettings settings) =>
        JsonSerializer.Serialize(new { settings.Size, settings.Channels, settings.Layout, settings.Resize });

    private static void CheckSameClasses(ImageFolderListing train, ImageFolderListing test)
    {
        if (train.ClassNames.SequenceEqual(test.ClassNames, StringComparer.Ordinal))
        {
            return;
        }
        string[] missing = [.. train.ClassNames.Except(test.ClassNames, StringComparer.Ordinal)];
        string[] extra = [.. test.ClassNames.Except(train.ClassNames, StringComparer.Ordinal)];
        string difference = string.Join("; ", new[]
        {
            missing.Length == 0 ? null : $"missing {string.Join(", ", missing.Select(name => $"'{name}'"))}",
            extra.Length == 0 ? null : $"not in train: {string.Join(", ", extra.Select(name => $"'{name}'"))}",
        }.OfType<string>());
        throw new DataFormatException(test.Folder,
            $"{test.Folder}: expected the class folders of {train.Folder} ({string.Join(", ", train.ClassNames.Select(name => $"'{name}'"))}), found ({string.Join(", ", test.ClassNames.Select(name => $"'{name}'"))}): {difference}; the classes are the folder names in ordinal order, so train and test must have the same ones");
    }

    /// <summary>
    /// Which splits to serve from a file a batch at a time rather than hold in memory: all of them when
    /// the settings say "always" or the decoded data set takes more than half of the memory budget
    /// (the rest is the models' and the training's), and any split whose decoded file is larger than
    /// one array (which reading it back whole would need). A streamed data set's decoded files need
    /// room on disk: too little is refused before decoding, located at data.settings.size.
    /// </summary>
    private static Func<ImageFolderListing, bool> Streaming(DataSetOptions options, ImageFolderSettings settings, ImageFolderListing?[] splits)
    {
        long images = splits.Sum(split => (long)(split?.Files.Count ?? 0));
        long bytes = images * settings.SampleSize * sizeof(float);
        long budget = options.MemoryBudget?.Bytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        bool all = settings.Stream == "always" || bytes > budget / 2;
        bool Streamed(ImageFolderListing split) =>
            all || DecodedImageCache.PayloadLength(split.Files.Count, settings.SampleSize) > Array.MaxLength - 4096;
        long streamedBytes = splits.OfType<ImageFolderListing>().Where(Streamed).Sum(split => DecodedImageCache.PayloadLength(split.Files.Count, settings.SampleSize));
        if (streamedBytes > 0)
        {
            CheckDiskSpace(options.CacheFolder ?? Path.GetTempPath(), streamedBytes, images, settings);
        }
        return Streamed;
    }

    private static void CheckDiskSpace(string folder, long bytes, long images, ImageFolderSettings settings)
    {
        long free;
        try
        {
            Directory.CreateDirectory(folder);
            free = new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return; // Unknown: writing will say what went wrong.
        }
        if (free < bytes)
        {
            throw new DataOptionException("data.settings.size", string.Create(CultureInfo.InvariantCulture,
                $"data.settings.size: {images:N0} images of [{string.Join(", ", settings.SampleShape)}] take {bytes / 1048576.0:N1} MiB as floats, served from files in {folder}, which has {free / 1048576.0:N1} MiB free: expected a smaller size or fewer channels, fewer images, or more free space there"));
        }
    }
}
