using System.Text.Json;
using Compression.Data.Loading;

namespace Compression.Data.Formats;

/// <summary>
/// One data format (<c>data.format</c> in compression.json): which files a split names, which
/// settings it takes, and how its files become features and labels. Splitting, normalisation, the
/// labelled subset, checks across splits and hashing stay common to every format
/// (<see cref="DataSetLoader"/>). A plugin adds one with
/// <c>services.AddSingleton&lt;DataFormat&gt;(new MyFormat())</c> in its <c>Configure</c>.
/// </summary>
public abstract class DataFormat
{
    /// <summary>The value of <c>data.format</c> that selects this format, lower case (e.g. "idx").</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The keys of a labelled split's files (train, test), each one of <c>features</c>, <c>labels</c>,
    /// <c>path</c> (e.g. IDX: features and labels; CSV: path). All are required.
    /// </summary>
    public abstract IReadOnlyList<string> FileKeys { get; }

    /// <summary>The keys of the optional unlabelled transfer split's files; the same as <see cref="FileKeys"/> unless overridden.</summary>
    public virtual IReadOnlyList<string> TransferFileKeys => FileKeys;

    /// <summary>
    /// The keys (among <see cref="FileKeys"/> and <see cref="TransferFileKeys"/>) that name a folder
    /// rather than a file, e.g. an image folder's <c>path</c>; none unless overridden. The host then
    /// checks that a folder is there (not a file), hashes the files <see cref="FolderFiles"/> lists, and
    /// records the folder by one digest over its files' relative paths and SHA-256s (<see cref="DataFileDigests.OfFolder"/>).
    /// </summary>
    public virtual IReadOnlyCollection<string> FolderKeys => [];

    /// <summary>True when <paramref name="key"/> names a folder for this format (<see cref="FolderKeys"/>).</summary>
    public bool IsFolderKey(string key) => FolderKeys.Contains(key);

    /// <summary>
    /// The data files below a folder that a folder key names: paths relative to it with '/' between
    /// folders, in ordinal order. These are the files the content hash, the folder's digest and the
    /// files MSBuild watches cover. The default lists every file below it except hidden ones (a name,
    /// or a folder on the way, starting with '.', such as .DS_Store or .git).
    /// </summary>
    /// <param name="folder">The folder (absolute path).</param>
    public virtual IReadOnlyList<string> FolderFiles(string folder) => DataFolder.Files(folder);

    /// <summary>
    /// The SHA-256 a split's <paramref name="key"/> is recorded by: the file's own, or for a folder key
    /// the digest over its files (<see cref="DataFileDigests.OfFolder"/>); taken from
    /// <paramref name="digests"/> when the run hashed it already.
    /// </summary>
    public string Digest(string key, string path, DataFileDigests digests)
    {
        ArgumentNullException.ThrowIfNull(digests);
        return IsFolderKey(key) ? digests.OfFolder(path, FolderFiles(path)) : digests.Of(path);
    }

    /// <summary>True when the transfer split is features only, so a labels file given for it is refused (IDX) rather than ignored.</summary>
    public bool RejectsTransferLabels => TransferFileKeys.Contains("features") && !TransferFileKeys.Contains("labels");

    /// <summary>What the transfer split's features file is, for messages (e.g. "an IDX images file").</summary>
    public virtual string FeaturesFileDescription => $"a {Name.ToUpperInvariant()} features file";

    /// <summary>What a split's files look like in compression.json, for the message about a missing split.</summary>
    public virtual string ExampleFiles => "{" + string.Join(", ", FileKeys.Select(key => $"\"{key}\": \"...\"")) + "}";

    /// <summary>
    /// The type <c>data.settings</c> binds to for this format (public settable properties, with
    /// [Description] and [Range] like stage settings), or null when the format takes none. The bound
    /// object reaches <see cref="Read"/> as <see cref="DataSetOptions.FormatSettings"/>.
    /// </summary>
    public virtual Type? SettingsType => null;

    /// <summary>
    /// Reads the train, test and optional transfer files. Each labelled split's labels are class
    /// indices from 0; transfer rows carry <see cref="Compression.Abstractions.Data.LabelledData.NoLabel"/>.
    /// A malformed file is a <see cref="DataFormatException"/> naming it (with line and column when known).
    /// </summary>
    /// <param name="options">The files (absolute paths, the keys this format declares) and settings.</param>
    /// <param name="cancellationToken">Stops a long read.</param>
    public abstract DataFormatContent Read(DataSetOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// The format's settings as text for the data set's content hash (after the train and test
    /// files), or null when none: a change of them re-runs every stage.
    /// </summary>
    public virtual string? HashedSettings(DataSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.FormatSettings is object settings ? $"settings={SerializedSettings(settings)};" : null;
    }

    /// <summary>
    /// The settings that change what the test split's labels are (e.g. CSV's label column), for the
    /// baseline's test-set identity beside the test files' hashes.
    /// </summary>
    public virtual IEnumerable<string> TestSetSettings(DataSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.FormatSettings is object settings ? [SerializedSettings(settings)] : [];
    }

    /// <summary>A split's hash roles (the split's name for one file, "split.key" for several), paths, and whether each names a folder.</summary>
    internal IEnumerable<(string Role, string Path, bool Folder)> HashedEntries(string split, DataFiles files, IReadOnlyList<string> keys) =>
        keys.Select(key => (keys.Count == 1 ? split : $"{split}.{key}", files.Get(key)!, IsFolderKey(key)));

    private static string SerializedSettings(object settings) => JsonSerializer.Serialize(settings, settings.GetType());
}
