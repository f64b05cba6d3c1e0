using Compression.Abstractions.Data;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Data;
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
    /// <summary>
    /// Checks the format and that every data file the config names exists and is a regular file, without reading any:
    /// what <c>compress validate</c> and the plan check before anything runs.
    /// </summary>
    public static (string Format, DataFiles Train, DataFiles Test, DataFiles? Transfer) ResolveFiles(LoadedConfig loaded)
    {
        DataConfig data = loaded.Config.Data!;
        var findings = new List<Finding>();
        string format = data.Format.ToLowerInvariant();
        if (format is not ("idx" or "csv"))
        {
            throw new CompressionException(ErrorCodes.InvalidValue,
                $"'data.format' is \"{data.Format}\": expected \"idx\" or \"csv\"", loaded.Locations.LocateValue("data.format"));
        }
        DataFiles train = Files(loaded, data.Train, "data.train", format, findings);
        DataFiles test = Files(loaded, data.Test, "data.test", format, findings);
        DataFiles? transfer = data.Transfer is null ? null : TransferFiles(loaded, data.Transfer, format, findings);
        if (findings.Count > 0)
        {
            throw new CompressionException(findings);
        }
        return (format, train, test, transfer);
    }

    /// <summary>Loads the splits, and every training row with its label for a teacher trained from a spec.</summary>
    public static LoadedDataSet Load(LoadedConfig loaded)
    {
        DataConfig data = loaded.Config.Data!;
        (string format, DataFiles train, DataFiles test, DataFiles? transfer) = ResolveFiles(loaded);

        var options = new DataSetOptions
        {
            Format = format,
            Train = train,
            Test = test,
            Transfer = transfer,
            LabeledCount = data.LabeledCount,
            LabeledFraction = data.LabeledFraction,
            LabelColumn = data.LabelColumn,
            ValidationFraction = data.ValidationFraction,
            Normalization = data.Normalization,
            Scale = data.Scale,
            Seed = loaded.Config.Seed,
        };
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

    /// <summary>The transfer file: IDX features only (transfer data has no labels), or one CSV file.</summary>
    private static DataFiles TransferFiles(LoadedConfig loaded, DataFilesConfig files, string format, List<Finding> findings)
    {
        const string Split = "data.transfer";
        if (format == "idx" && files.Labels is not null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue,
                "'data.transfer.labels': transfer data has no labels; give only \"features\" (an IDX images file)", loaded.Locations.Locate("data.transfer.labels")));
        }
        return format == "idx"
            ? new DataFiles(Features: Resolve(loaded, files.Features, Split, "features", format, findings) ?? "")
            : DataFiles.Csv(Resolve(loaded, files.Path, Split, "path", format, findings) ?? "");
    }

    private static DataFiles Files(LoadedConfig loaded, DataFilesConfig? files, string path, string format, List<Finding> findings)
    {
        if (files is null)
        {
            string expected = format == "idx" ? "{\"features\": \"...\", \"labels\": \"...\"}" : "{\"path\": \"....csv\"}";
            findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField, $"missing '{path}': expected {expected}", loaded.Locations.Locate(path)));
            return new DataFiles();
        }
        return format == "idx"
            ? DataFiles.Idx(Resolve(loaded, files.Features, path, "features", format, findings) ?? "", Resolve(loaded, files.Labels, path, "labels", format, findings) ?? "")
            : DataFiles.Csv(Resolve(loaded, files.Path, path, "path", format, findings) ?? "");
    }

    /// <summary>The absolute path of one file of a split, or null (with a finding) when it is not given; a finding too when the file does not exist or is not a regular file (checked without opening it).</summary>
    private static string? Resolve(LoadedConfig loaded, string? value, string path, string field, string format, List<Finding> findings)
    {
        string fieldPath = $"{path}.{field}";
        if (value is null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField,
                $"missing '{fieldPath}' (format \"{format}\")", loaded.Locations.Locate(path)));
            return null;
        }
        string full = loaded.Resolve(value);
        if (NotRegularFile.Check(fieldPath, full, $"a regular {format.ToUpperInvariant()} data file", loaded.Locations.LocateValue(fieldPath)) is Finding notRegular)
        {
            findings.Add(notRegular);
        }
        else if (!File.Exists(full))
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.DataNotFound, $"data file not found: {full}", loaded.Locations.LocateValue(fieldPath)));
        }
        return full;
    }
}
