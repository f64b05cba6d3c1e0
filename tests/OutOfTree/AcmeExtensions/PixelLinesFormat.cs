using System.ComponentModel;
using System.Globalization;
using Compression.Data;
using Compression.Data.Formats;
using Compression.Data.Loading;

namespace AcmeExtensions;

/// <summary>
/// A data format of this plugin's own, <c>"format": "pixel-lines"</c>: one text file per split
/// (<c>"path"</c>), one sample per line, the label first and then the sample's values separated by
/// spaces; <c>data.settings.shape</c> gives the shape of one sample.
/// </summary>
public sealed class PixelLinesFormat : DataFormat
{
    public override string Name => "pixel-lines";

    public override IReadOnlyList<string> FileKeys { get; } = ["path"];

    public override Type? SettingsType => typeof(PixelLinesSettings);

    public override DataFormatContent Read(DataSetOptions options, CancellationToken cancellationToken)
    {
        var settings = (PixelLinesSettings)(options.FormatSettings ?? new PixelLinesSettings());
        return new DataFormatContent(
            ReadSplit(options.Train.Path!, settings.Shape, cancellationToken),
            ReadSplit(options.Test.Path!, settings.Shape, cancellationToken));
    }

    private static DataFormatSplit ReadSplit(string path, int[] shape, CancellationToken cancellationToken)
    {
        int width = shape.Aggregate(1, (a, b) => a * b);
        var features = new List<float>();
        var labels = new List<int>();
        int line = 0;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            cancellationToken.ThrowIfCancellationRequested();
            if (text.Length == 0)
            {
                continue;
            }
            string[] fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != width + 1)
            {
                throw new DataFormatException(path, $"expected a label and {width} values (data.settings.shape [{string.Join(", ", shape)}]), got {fields.Length} fields", line, 1);
            }
            if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int label))
            {
                throw new DataFormatException(path, $"the label must be a class index from 0, got '{fields[0]}'", line, 1);
            }
            labels.Add(label);
            for (int i = 1; i <= width; i++)
            {
                features.Add(float.Parse(fields[i], CultureInfo.InvariantCulture));
            }
        }
        return new DataFormatSplit([.. features], shape, [.. labels], path, path);
    }
}

/// <summary><c>data.settings</c> of the pixel-lines format.</summary>
public sealed class PixelLinesSettings
{
    [Description("The shape of one sample, e.g. [1, 28, 28].")]
    public int[] Shape { get; set; } = [784];
}
