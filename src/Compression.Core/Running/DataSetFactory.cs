using Compression.Abstractions.Data;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Data;
using Compression.Data.Loading;

namespace Compression.Core.Running;

/// <summary>
/// Loads the config's <c>data</c> section through Compression.Data, turning missing files and
/// malformed data into bad-input findings: a missing file points at its line in compression.json,
/// a malformed one at the data file itself (with line and column for CSV).
/// </summary>
public static class DataSetFactory
{
    public static DataSplits Load(LoadedConfig loaded)
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
        if (findings.Count > 0)
        {
            throw new CompressionException(findings);
        }

        var options = new DataSetOptions
        {
            Format = format,
            Train = train,
            Test = test,
            LabelColumn = data.LabelColumn,
            ValidationFraction = data.ValidationFraction,
            Normalization = data.Normalization,
            Scale = data.Scale,
            Seed = loaded.Config.Seed,
        };
        try
        {
            return DataSetLoader.Load(options);
        }
        catch (DataFormatException ex)
        {
            throw new CompressionException(ErrorCodes.DataInvalid, ex.Message, new SourceLocation(ex.FilePath, ex.Line ?? 0, ex.Column ?? 0));
        }
        catch (ArgumentException ex)
        {
            throw new CompressionException(ErrorCodes.InvalidValue, $"'data': {ex.Message}", loaded.Locations.Locate("data"));
        }
    }

    private static DataFiles Files(LoadedConfig loaded, DataFilesConfig? files, string path, string format, List<Finding> findings)
    {
        if (files is null)
        {
            string expected = format == "idx" ? "{\"features\": \"...\", \"labels\": \"...\"}" : "{\"path\": \"....csv\"}";
            findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField, $"missing '{path}': expected {expected}", loaded.Locations.Locate(path)));
            return new DataFiles();
        }
        string? Resolve(string? value, string field)
        {
            string fieldPath = $"{path}.{field}";
            if (value is null)
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField,
                    $"missing '{fieldPath}' (format \"{format}\")", loaded.Locations.Locate(path)));
                return null;
            }
            string full = loaded.Resolve(value);
            if (!File.Exists(full))
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.DataNotFound, $"data file not found: {full}", loaded.Locations.LocateValue(fieldPath)));
            }
            return full;
        }
        return format == "idx"
            ? DataFiles.Idx(Resolve(files.Features, "features") ?? "", Resolve(files.Labels, "labels") ?? "")
            : DataFiles.Csv(Resolve(files.Path, "path") ?? "");
    }
}
