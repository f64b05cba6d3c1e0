using Compression.Data.Csv;
using Compression.Data.Idx;

namespace Compression.Data.Formats;

/// <summary>
/// The data formats a run knows: the built-in ones (idx, csv) and those plugins registered, by name
/// (ignoring case). Two formats with one name are refused, naming both.
/// </summary>
public sealed class DataFormatRegistry
{
    private readonly Dictionary<string, DataFormat> _byName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The built-in formats only.</summary>
    public static DataFormatRegistry BuiltIn { get; } = new([]);

    /// <summary>The built-in formats and <paramref name="added"/>.</summary>
    /// <exception cref="DuplicateDataFormatException">Two formats have the same name.</exception>
    /// <exception cref="ArgumentException">A format has no name, or a file key other than features, labels and path.</exception>
    public DataFormatRegistry(IEnumerable<DataFormat> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        foreach (DataFormat format in new DataFormat[] { new IdxFormat(), new CsvFormat() }.Concat(added))
        {
            if (string.IsNullOrWhiteSpace(format.Name))
            {
                throw new ArgumentException($"data format {format.GetType().FullName} has no name", nameof(added));
            }
            if (format.FileKeys.Count == 0 || format.FileKeys.Concat(format.TransferFileKeys).FirstOrDefault(key => key is not ("features" or "labels" or "path")) is string key)
            {
                throw new ArgumentException(
                    $"data format \"{format.Name}\" ({format.GetType().FullName}) declares the file keys [{string.Join(", ", format.FileKeys)}] and [{string.Join(", ", format.TransferFileKeys)}] for transfer: expected one or more of \"features\", \"labels\" and \"path\"", nameof(added));
            }
            if (format.FolderKeys.FirstOrDefault(key => !format.FileKeys.Contains(key) && !format.TransferFileKeys.Contains(key)) is string folderKey)
            {
                throw new ArgumentException(
                    $"data format \"{format.Name}\" ({format.GetType().FullName}) declares \"{folderKey}\" a folder key, but not a file key: expected one of [{string.Join(", ", format.FileKeys.Concat(format.TransferFileKeys).Distinct())}]", nameof(added));
            }
            if (_byName.TryGetValue(format.Name, out DataFormat? first))
            {
                throw new DuplicateDataFormatException(format.Name, first, format);
            }
            _byName.Add(format.Name, format);
        }
    }

    /// <summary>Every format, built-in ones first, in registration order.</summary>
    public IReadOnlyList<DataFormat> All => [.. _byName.Values];

    /// <summary>The format named <paramref name="name"/> (ignoring case), or null.</summary>
    public DataFormat? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The names as a message lists them: "idx" or "csv"; "idx", "csv" or "jsonl".</summary>
    public string Expected()
    {
        string[] names = [.. _byName.Keys.Select(name => $"\"{name}\"")];
        return names.Length == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }
}
