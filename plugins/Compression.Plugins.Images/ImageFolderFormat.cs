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
/// settings, so a second run reads it back instead of decoding again.
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
        CheckMemory(options, settings, [train, test, transfer]);

        var reader = new ImageSplitReader(settings, SettingsKey(settings), options, cancellationToken);
        DataFormatSplit trainSplit = reader.Read("train", train);
        DataFormatSplit testSplit = reader.Read("test", test);
        DataFormatSplit? transferSplit = transfer is null ? null : reader.Read("transfer", transfer);
        return new DataFormatContent(trainSplit, testSplit, transferSplit, train.ClassNames);
    }

    /// <summary>The settings as the cache key takes them (the content hash takes them through <see cref="DataFormat.HashedSettings"/>).</summary>
    private static string SettingsKey(ImageFolderSettings settings) =>
        $"{CacheVersion};{JsonSerializer.Serialize(settings)}";

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

    /// <summary>Refuses a data set whose decoded floats alone exceed the run's memory budget, before decoding any image.</summary>
    private static void CheckMemory(DataSetOptions options, ImageFolderSettings settings, ImageFolderListing?[] splits)
    {
        foreach (ImageFolderListing? split in splits)
        {
            if (split is not null && (long)split.Files.Count * settings.SampleSize > Array.MaxLength)
            {
                throw new DataOptionException("data.settings.size", string.Create(CultureInfo.InvariantCulture,
                    $"data.settings.size: the {split.Files.Count:N0} images of {split.Folder} as [{string.Join(", ", settings.SampleShape)}] are more than the {Array.MaxLength:N0} values one split can hold: expected a smaller size or fewer images"));
            }
        }
        if (options.MemoryBudget is not { } budget)
        {
            return;
        }
        long images = splits.Sum(split => (long)(split?.Files.Count ?? 0));
        long bytes = images * settings.SampleSize * sizeof(float);
        if (bytes > budget.Bytes)
        {
            throw new DataOptionException("data.settings.size", string.Create(CultureInfo.InvariantCulture,
                $"data.settings.size: {images:N0} images of [{string.Join(", ", settings.SampleShape)}] take {bytes / 1048576.0:N1} MiB as floats, more than the memory budget of {budget.Bytes / 1048576.0:N1} MiB ({budget.Source}): expected a smaller size or fewer channels, fewer images, or a larger maxModelMemoryMb (the data set is held in memory whole)"));
        }
    }
}
