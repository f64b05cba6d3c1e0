using System.Globalization;
using Compression.Data.Formats;

namespace Compression.Data.Loading;

/// <summary>
/// The checks of <see cref="DataSetOptions"/> for <see cref="DataSetLoader"/>: each failure is an
/// <see cref="ArgumentException"/> whose message starts with the option's path in compression.json
/// (a <see cref="DataOptionException"/> carries that path for the host).
/// </summary>
internal static class DataSetOptionsValidator
{
    /// <summary>Checks the options that need no data; <paramref name="format"/> and <paramref name="normalization"/> are the lower-cased values.</summary>
    public static void Validate(DataSetOptions options, string format, string normalization)
    {
        if (options.Formats.Find(format) is not DataFormat reader)
        {
            throw new ArgumentException($"data.format: expected {options.Formats.Expected()}, found \"{options.Format}\".", nameof(options));
        }
        if (normalization is not ("scale" or "standardize" or "none"))
        {
            throw new ArgumentException($"data.normalization: expected \"scale\", \"standardize\" or \"none\", found \"{options.Normalization}\".", nameof(options));
        }
        if (options.ValidationFraction is < 0 or >= 1 || double.IsNaN(options.ValidationFraction))
        {
            throw new ArgumentException($"data.validationFraction: expected a value in [0, 1), found {options.ValidationFraction.ToString(CultureInfo.InvariantCulture)}.", nameof(options));
        }
        if (normalization == "scale" && (!double.IsFinite(options.Scale) || options.Scale == 0))
        {
            throw new ArgumentException($"data.scale: expected a finite, non-zero factor, found {options.Scale.ToString(CultureInfo.InvariantCulture)}.", nameof(options));
        }
        if (options.LabeledCount is not null && options.LabeledFraction is not null)
        {
            throw new DataOptionException("data.labeledFraction",
                "data.labeledFraction: expected at most one of data.labeledCount and data.labeledFraction, found both.");
        }
        if (options.LabeledFraction is double fraction && (fraction is <= 0 or > 1 || double.IsNaN(fraction)))
        {
            throw new DataOptionException("data.labeledFraction",
                $"data.labeledFraction: expected a value in (0, 1], found {fraction.ToString(CultureInfo.InvariantCulture)}.");
        }
        if (options.Transfer is DataFiles transfer)
        {
            if (reader.RejectsTransferLabels && !string.IsNullOrEmpty(transfer.Labels))
            {
                throw new DataOptionException("data.transfer.labels",
                    $"data.transfer.labels: transfer data has no labels; expected only {Quoted(reader.TransferFileKeys)} ({reader.FeaturesFileDescription}), found \"labels\" too.");
            }
            if (reader.TransferFileKeys.Any(key => string.IsNullOrEmpty(transfer.Get(key))))
            {
                throw new DataOptionException("data.transfer", $"data.transfer: {reader.Name.ToUpperInvariant()} transfer data needs {Needs(reader.TransferFileKeys)}.");
            }
        }
        foreach ((string split, DataFiles files) in new[] { ("train", options.Train), ("test", options.Test) })
        {
            ArgumentNullException.ThrowIfNull(files, $"options.{split}");
            if (reader.FileKeys.Any(key => string.IsNullOrEmpty(files.Get(key))))
            {
                throw new ArgumentException($"data.{split}: {reader.Name.ToUpperInvariant()} needs {Needs(reader.FileKeys)}.", nameof(options));
            }
        }
    }

    /// <summary>What a split needs, as messages say it: a "path"; a "features" path; both "features" and "labels" paths.</summary>
    private static string Needs(IReadOnlyList<string> keys) => keys.Count switch
    {
        1 when keys[0] == "path" => "a \"path\"",
        1 => $"a \"{keys[0]}\" path",
        2 => $"both \"{keys[0]}\" and \"{keys[1]}\" paths",
        _ => $"{Quoted(keys)} paths",
    };

    private static string Quoted(IReadOnlyList<string> keys) =>
        keys.Count == 1 ? $"\"{keys[0]}\"" : $"{string.Join(", ", keys.Take(keys.Count - 1).Select(k => $"\"{k}\""))} and \"{keys[^1]}\"";

    /// <summary>
    /// The number of training rows that keep their labels, or null when all do; checks a given count
    /// against <paramref name="trainRows"/>, and that every one of the <paramref name="classCount"/>
    /// classes can keep a labelled sample (fewer labels than classes leaves a class the student never
    /// sees labelled).
    /// </summary>
    public static int? LabeledCount(DataSetOptions options, int trainRows, int classCount)
    {
        if (options.LabeledCount is int count)
        {
            if (count < 1 || count > trainRows)
            {
                throw new DataOptionException("data.labeledCount",
                    $"data.labeledCount: expected a value between 1 and {trainRows} (the training rows left after the validation split), found {count}.");
            }
            if (count < classCount)
            {
                throw new FewerLabelsThanClassesException("data.labeledCount",
                    $"data.labeledCount: expected at least {classCount} (one labelled sample per class), found {count}.");
            }
            return count;
        }
        if (options.LabeledFraction is double fraction)
        {
            int kept = Math.Clamp((int)Math.Round(trainRows * fraction, MidpointRounding.AwayFromZero), Math.Min(1, trainRows), trainRows);
            if (kept < classCount)
            {
                throw new FewerLabelsThanClassesException("data.labeledFraction", string.Create(CultureInfo.InvariantCulture,
                    $"data.labeledFraction: {fraction} of the {trainRows} training rows keeps {kept} labelled, fewer than the {classCount} classes: expected a fraction that keeps at least one labelled sample per class (or data.labeledCount: {classCount})."));
            }
            return kept;
        }
        return null;
    }
}
