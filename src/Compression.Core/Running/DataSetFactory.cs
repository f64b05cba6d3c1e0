using Compression.Abstractions.Data;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Data;
using Compression.Data.Formats;
using Compression.Data.Loading;

namespace Compression.Core.Running;

/// <summary>
/// Loads the config's <c>data</c> section through Compression.Data, turning missing files and
/// malformed data into bad-input findings: a missing file points at its line in compression.json,
/// a malformed one at the data file itself (with line and column for CSV), an option that does not
/// fit the data (e.g. <c>data.labeledCount</c> above the training rows) at the option's value.
/// </summary>
public static class DataSetFactory
{
    private static readonly System.Text.Json.JsonElement s_noSettings = System.Text.Json.JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>
    /// Checks the format, its settings, and that every data file the config names exists and is a regular file, without reading any:
    /// what <c>compress validate</c> and the plan check before anything runs.
    /// </summary>
    public static (string Format, DataFiles Train, DataFiles Test, DataFiles? Transfer) ResolveFiles(LoadedConfig loaded) =>
        ResolveFiles(loaded, DataFormatRegistry.BuiltIn);

    /// <inheritdoc cref="ResolveFiles(LoadedConfig)"/>
    public static (string Format, DataFiles Train, DataFiles Test, DataFiles? Transfer) ResolveFiles(LoadedConfig loaded, DataFormatRegistry formats)
    {
        (DataFormat format, DataFiles train, DataFiles test, DataFiles? transfer, _) = Resolve(loaded, formats);
        return (format.Name, train, test, transfer);
    }

    /// <summary>The options the loader gets for this config: resolved files, bound format settings, the seed.</summary>
    public static DataSetOptions Options(LoadedConfig loaded, DataFormatRegistry formats, DataFileDigests? digests = null, DataLoadContext? context = null)
    {
        DataConfig data = loaded.Config.Data!;
        (DataFormat format, DataFiles train, DataFiles test, DataFiles? transfer, object? settings) = Resolve(loaded, formats, context?.TeacherCacheFolder);
        return new DataSetOptions
        {
            Format = format.Name,
            Formats = formats,
            FormatSettings = settings,
            Digests = digests,
            Train = train,
            Test = test,
            Transfer = transfer,
            LabeledCount = data.LabeledCount,
            LabeledFraction = data.LabeledFraction,
            LabelColumn = data.LabelColumn,
            ValidationFraction = data.ValidationFraction,
            Normalization = data.Normalization,
            Scale = data.Scale,
            DeclaredNormalization = AppModel.AppModelPreflight.Contract(loaded)?.Normalization,
            Seed = loaded.Config.Seed,
            BaseDirectory = loaded.Directory,
            CacheFolder = context?.CacheFolder,
            MemoryBudget = context?.Budget,
            Progress = context?.Progress,
        };
    }

    /// <summary>Loads the splits, and every training row with its label for a teacher trained from a spec.</summary>
    public static LoadedDataSet Load(LoadedConfig loaded) => Load(loaded, DataFormatRegistry.BuiltIn, new DataFileDigests());

    /// <summary>
    /// Loads the splits through <paramref name="formats"/>; each data file's SHA-256 lands in
    /// <paramref name="digests"/> (and in <see cref="LoadedDataSet.Digests"/>) for the rest of the run.
    /// <paramref name="context"/> gives the format a cache folder, the memory budget and progress.
    /// </summary>
    public static LoadedDataSet Load(LoadedConfig loaded, DataFormatRegistry formats, DataFileDigests digests, DataLoadContext? context = null)
    {
        DataSetOptions options = Options(loaded, formats, digests, context);
        try
        {
            return DataSetLoader.LoadDataSet(options);
        }
        catch (DataFormatException ex)
        {
            throw new CompressionException(ErrorCodes.DataInvalid, ex.Message, new SourceLocation(ex.FilePath, ex.Line ?? 0, ex.Column ?? 0));
        }
        catch (FewerLabelsThanClassesException ex)
        {
            throw new CompressionException(ErrorCodes.FewerLabelsThanClasses, ex.Message, loaded.Locations.LocateValue(ex.Option));
        }
        catch (DataOptionException ex)
        {
            throw new CompressionException(ErrorCodes.InvalidValue, ex.Message, loaded.Locations.LocateValue(ex.Option));
        }
        catch (ArgumentException ex)
        {
            throw new CompressionException(ErrorCodes.InvalidValue, $"'data': {ex.Message}", loaded.Locations.Locate("data"));
        }
    }

    private static (DataFormat Format, DataFiles Train, DataFiles Test, DataFiles? Transfer, object? Settings) Resolve(LoadedConfig loaded, DataFormatRegistry formats, string? teacherCacheFolder = null)
    {
        DataConfig data = loaded.Config.Data!;
        var findings = new List<Finding>();
        if (formats.Find(data.Format) is not DataFormat format)
        {
            throw new CompressionException(ErrorCodes.InvalidValue,
                $"'data.format' is \"{data.Format}\": expected {formats.Expected()}", loaded.Locations.LocateValue("data.format"));
        }
        object? settings = Settings(loaded, format, data, teacherCacheFolder, findings);
        DataFiles train = Files(loaded, data.Train, "data.train", format, findings);
        DataFiles test = Files(loaded, data.Test, "data.test", format, findings);
        DataFiles? transfer = data.Transfer is null ? null : TransferFiles(loaded, data.Transfer, format, findings);
        if (findings.Count > 0)
        {
            throw new CompressionException(findings);
        }
        return (format, train, test, transfer, settings);
    }

    /// <summary><c>data.settings</c> bound to the format's settings type (located findings on error); refused for a format that takes none.</summary>
    private static object? Settings(LoadedConfig loaded, DataFormat format, DataConfig data, string? teacherCacheFolder, List<Finding> findings)
    {
        if (format.SettingsType is not Type type)
        {
            if (data.Settings is not null)
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue,
                    $"'data.settings': format \"{format.Name}\" takes no settings of its own; remove \"settings\"", loaded.Locations.Locate("data.settings")));
            }
            return null;
        }
        // Absent settings are bound as an empty object, so a format's required settings are reported
        // (at data.settings' place, or data's) rather than left at their defaults unchecked.
        System.Text.Json.JsonElement? settings = Teacher.TeacherVocabulary.Substitute(loaded, data.Settings, teacherCacheFolder, CancellationToken.None);
        return loaded.Binder.Bind(settings ?? s_noSettings, type, "data.settings", findings);
    }

    /// <summary>The transfer file: IDX features only (transfer data has no labels), or one CSV file.</summary>
    private static DataFiles TransferFiles(LoadedConfig loaded, DataFilesConfig files, DataFormat format, List<Finding> findings)
    {
        if (format.RejectsTransferLabels && files.Labels is not null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue,
                $"'data.transfer.labels': transfer data has no labels; give only \"features\" ({format.FeaturesFileDescription})", loaded.Locations.Locate("data.transfer.labels")));
        }
        return SplitFiles(loaded, files, "data.transfer", format, format.TransferFileKeys, findings);
    }

    private static DataFiles Files(LoadedConfig loaded, DataFilesConfig? files, string path, DataFormat format, List<Finding> findings)
    {
        if (files is null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField, $"missing '{path}': expected {format.ExampleFiles}", loaded.Locations.Locate(path)));
            return new DataFiles();
        }
        return SplitFiles(loaded, files, path, format, format.FileKeys, findings);
    }

    /// <summary>The split's files under the format's keys, resolved and checked, in the order the format lists them.</summary>
    private static DataFiles SplitFiles(LoadedConfig loaded, DataFilesConfig files, string path, DataFormat format, IReadOnlyList<string> keys, List<Finding> findings)
    {
        // Resolved in the format's key order, so that findings come in the order they always did.
        var resolved = keys.ToDictionary(key => key, key => (string?)(Resolve(loaded, Configured(files, key), path, key, format, findings) ?? ""));
        return new DataFiles(resolved.GetValueOrDefault("features"), resolved.GetValueOrDefault("labels"), resolved.GetValueOrDefault("path"));
    }

    private static string? Configured(DataFilesConfig files, string key) => key switch
    {
        "features" => files.Features,
        "labels" => files.Labels,
        _ => files.Path,
    };

    /// <summary>The absolute path of one file of a split, or null (with a finding) when it is not given; a finding too when the file does not exist or is not a regular file (checked without opening it).</summary>
    private static string? Resolve(LoadedConfig loaded, string? value, string path, string field, DataFormat format, List<Finding> findings)
    {
        string fieldPath = $"{path}.{field}";
        if (value is null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField,
                $"missing '{fieldPath}' (format \"{format.Name}\")", loaded.Locations.Locate(path)));
            return null;
        }
        string full = loaded.Resolve(value);
        if (format.IsFolderKey(field))
        {
            if (File.Exists(full))
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.DataNotRegularFile,
                    $"'{fieldPath}': {full} is a file: expected a folder (format \"{format.Name}\" reads the files below it)", loaded.Locations.LocateValue(fieldPath)));
            }
            else if (!Directory.Exists(full))
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.DataNotFound, $"data folder not found: {full}", loaded.Locations.LocateValue(fieldPath)));
            }
            return full;
        }
        if (NotRegularFile.Check(fieldPath, full, $"a regular {format.Name.ToUpperInvariant()} data file", loaded.Locations.LocateValue(fieldPath)) is Finding notRegular)
        {
            findings.Add(notRegular);
        }
        else if (!File.Exists(full))
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.DataNotFound, $"data file not found: {full}{SystemDataHint.For(full)}", loaded.Locations.LocateValue(fieldPath)));
        }
        return full;
    }
}
