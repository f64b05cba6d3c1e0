using System.Text.Json;
using Compression.Data.Formats;
using Compression.Data.Loading;

namespace Compression.Data.Tests.Formats;

/// <summary>A format as a plugin would write it: one JSON object per line, features under one field, the label under another.</summary>
public sealed class JsonLinesFormat : DataFormat
{
    /// <summary>How many files this format opened (each split's file once).</summary>
    public int FilesRead { get; private set; }

    public override string Name => "jsonl";

    public override IReadOnlyList<string> FileKeys { get; } = ["path"];

    public override Type? SettingsType => typeof(JsonLinesSettings);

    public override DataFormatContent Read(DataSetOptions options, CancellationToken cancellationToken)
    {
        var settings = (JsonLinesSettings)(options.FormatSettings ?? new JsonLinesSettings());
        DataFormatContent content = new(
            ReadSplit(options.Train.Path!, settings, labelled: true),
            ReadSplit(options.Test.Path!, settings, labelled: true),
            options.Transfer is DataFiles transfer ? ReadSplit(transfer.Path!, settings, labelled: false) : null);
        return content;
    }

    private DataFormatSplit ReadSplit(string path, JsonLinesSettings settings, bool labelled)
    {
        FilesRead++;
        var features = new List<float>();
        var labels = new List<int>();
        int width = -1;
        string[] lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }
            using JsonDocument row = JsonDocument.Parse(lines[i]);
            if (!row.RootElement.TryGetProperty(settings.FeaturesField, out JsonElement values) || values.ValueKind != JsonValueKind.Array)
            {
                throw new DataFormatException(path, $"{Path.GetFileName(path)}: expected an array \"{settings.FeaturesField}\"", line: i + 1, column: 1);
            }
            float[] sample = [.. values.EnumerateArray().Select(v => v.GetSingle())];
            width = width < 0 ? sample.Length : width;
            features.AddRange(sample);
            labels.Add(labelled ? row.RootElement.GetProperty(settings.LabelField).GetInt32() : Compression.Abstractions.Data.LabelledData.NoLabel);
        }
        return new DataFormatSplit([.. features], [Math.Max(width, 1)], [.. labels], path, path);
    }
}

/// <summary>The format's own settings, <c>data.settings</c> in compression.json.</summary>
public sealed class JsonLinesSettings
{
    /// <summary>The field holding the features (an array of numbers).</summary>
    public string FeaturesField { get; set; } = "x";

    /// <summary>The field holding the class index.</summary>
    public string LabelField { get; set; } = "y";
}
