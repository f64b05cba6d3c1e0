using System.Globalization;
using Compression.Abstractions.Data;
using Compression.Data.Batching;
using Compression.Data.Csv;
using Compression.Data.Idx;

namespace Compression.Data.Loading;

/// <summary>
/// Turns the <c>data</c> settings into the three splits every stage works on: reads train and test
/// (IDX or CSV), checks that the files agree with each other, carves a seeded validation split from
/// train, normalises with statistics from the train split only, and hashes the sources and settings
/// so that caches notice any change. The same options and files always give the same splits.
/// </summary>
public static class DataSetLoader
{
    /// <summary>Loads the splits.</summary>
    /// <param name="options">Files (absolute paths) and settings.</param>
    /// <param name="cancellationToken">Stops a long load.</param>
    /// <exception cref="DataFormatException">A file is malformed, or the files disagree (counts, feature shapes).</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="ArgumentException">An option is invalid (unknown format or normalisation, fraction outside [0, 1), a missing path).</exception>
    public static DataSplits Load(DataSetOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string format = options.Format.ToLowerInvariant();
        string normalization = options.Normalization.ToLowerInvariant();
        Validate(options, format, normalization);

        RawSplit train;
        RawSplit test;
        int classCount;
        if (format == "idx")
        {
            train = ReadIdx(options.Train);
            cancellationToken.ThrowIfCancellationRequested();
            test = ReadIdx(options.Test);
            classCount = Math.Max(MaxLabel(train.Labels), MaxLabel(test.Labels)) + 1;
        }
        else
        {
            CsvLabelColumn label = options.LabelColumnIndex is int index ? CsvLabelColumn.At(index) : CsvLabelColumn.Named(options.LabelColumn);
            IReadOnlyList<CsvData> csv = CsvReader.ReadAll([options.Train.Path!, options.Test.Path!], label, cancellationToken);
            CheckSameColumns(options.Train.Path!, csv[0], options.Test.Path!, csv[1]);
            train = new RawSplit(csv[0].Features, [csv[0].FeatureNames.Length], csv[0].Labels, options.Train.Path!, options.Train.Path!);
            test = new RawSplit(csv[1].Features, [csv[1].FeatureNames.Length], csv[1].Labels, options.Test.Path!, options.Test.Path!);
            classCount = csv[0].ClassNames?.Count ?? Math.Max(MaxLabel(train.Labels), MaxLabel(test.Labels)) + 1;
        }
        CheckSameShape(train, test);
        if (classCount < 2)
        {
            throw new DataFormatException(train.LabelsPath,
                $"{Path.GetFileName(train.LabelsPath)}: expected at least 2 classes over the train and test labels, found {Math.Max(classCount, 0)}.");
        }
        cancellationToken.ThrowIfCancellationRequested();

        int sampleSize = train.SampleShape.Aggregate(1, (a, b) => a * b);
        (int[] trainRows, int[] validationRows) = SplitRows(train.Labels.Length, options.ValidationFraction, options.Seed);
        var trainData = Take(train, trainRows, sampleSize);
        var validationData = Take(train, validationRows, sampleSize);
        var testData = new LabelledData(test.Features, train.SampleShape, test.Labels);
        Normalize(normalization, options.Scale, trainData, validationData, testData);

        string hash = Hash(options, format, normalization, cancellationToken);
        return new DataSplits(trainData, validationData, testData, classCount, hash);
    }

    /// <summary>
    /// Splits [0, <paramref name="count"/>) into train and validation rows with a seeded shuffle.
    /// Validation gets round(count * fraction) rows (at least 1 when the fraction is positive, and
    /// train keeps at least 1); both lists are in file order.
    /// </summary>
    public static (int[] Train, int[] Validation) SplitRows(int count, double validationFraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (validationFraction is < 0 or >= 1 || double.IsNaN(validationFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be in [0, 1).");
        }
        int validation = (int)Math.Round(count * validationFraction, MidpointRounding.AwayFromZero);
        if (validationFraction > 0 && count > 1)
        {
            validation = Math.Clamp(validation, 1, count - 1);
        }
        int[] order = SeededShuffle.Permutation(count, seed, stream: 0);
        int[] validationRows = order[..validation];
        int[] trainRows = order[validation..];
        Array.Sort(validationRows);
        Array.Sort(trainRows);
        return (trainRows, validationRows);
    }

    private static void Validate(DataSetOptions options, string format, string normalization)
    {
        if (format is not ("idx" or "csv"))
        {
            throw new ArgumentException($"data.format: expected \"idx\" or \"csv\", found \"{options.Format}\".", nameof(options));
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
        foreach ((string split, DataFiles files) in new[] { ("train", options.Train), ("test", options.Test) })
        {
            ArgumentNullException.ThrowIfNull(files, $"options.{split}");
            if (format == "idx" && (string.IsNullOrEmpty(files.Features) || string.IsNullOrEmpty(files.Labels)))
            {
                throw new ArgumentException($"data.{split}: IDX needs both \"features\" and \"labels\" paths.", nameof(options));
            }
            if (format == "csv" && string.IsNullOrEmpty(files.Path))
            {
                throw new ArgumentException($"data.{split}: CSV needs a \"path\".", nameof(options));
            }
        }
    }

    private static RawSplit ReadIdx(DataFiles files)
    {
        IdxFeatures features = IdxReader.ReadFeatures(files.Features!);
        int[] labels = IdxReader.ReadLabels(files.Labels!);
        if (features.Count != labels.Length)
        {
            throw new DataFormatException(files.Labels!,
                $"{Path.GetFileName(files.Labels!)}: expected one label per sample of {Path.GetFileName(files.Features!)} ({features.Count}), found {labels.Length} labels.");
        }
        return new RawSplit(features.Features, features.SampleShape, labels, files.Features!, files.Labels!);
    }

    private static void CheckSameShape(RawSplit train, RawSplit test)
    {
        if (!train.SampleShape.AsSpan().SequenceEqual(test.SampleShape))
        {
            throw new DataFormatException(test.FeaturesPath,
                $"{Path.GetFileName(test.FeaturesPath)}: expected samples of shape [{string.Join(", ", train.SampleShape)}] as in {Path.GetFileName(train.FeaturesPath)}, found [{string.Join(", ", test.SampleShape)}].");
        }
    }

    private static void CheckSameColumns(string trainPath, CsvData train, string testPath, CsvData test)
    {
        if (train.FeatureNames.Length == test.FeatureNames.Length
            && !train.FeatureNames.SequenceEqual(test.FeatureNames, StringComparer.OrdinalIgnoreCase))
        {
            throw new DataFormatException(testPath,
                $"{Path.GetFileName(testPath)}: expected the feature columns of {Path.GetFileName(trainPath)} in the same order ({string.Join(", ", train.FeatureNames)}), found ({string.Join(", ", test.FeatureNames)}).",
                line: 1);
        }
    }

    private static int MaxLabel(int[] labels) => labels.Length == 0 ? -1 : labels.Max();

    private static LabelledData Take(RawSplit source, int[] rows, int sampleSize)
    {
        var features = new float[rows.Length * sampleSize];
        var labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            Array.Copy(source.Features, rows[i] * sampleSize, features, i * sampleSize, sampleSize);
            labels[i] = source.Labels[rows[i]];
        }
        return new LabelledData(features, source.SampleShape, labels);
    }

    private static void Normalize(string normalization, double scale, LabelledData train, LabelledData validation, LabelledData test)
    {
        if (normalization == "scale")
        {
            Normalizer.Scale(train.Features, scale);
            Normalizer.Scale(validation.Features, scale);
            Normalizer.Scale(test.Features, scale);
        }
        else if (normalization == "standardize")
        {
            (float[] mean, float[] std) = Normalizer.Statistics(train.Features, train.SampleSize);
            Normalizer.Standardize(train.Features, train.SampleSize, mean, std);
            Normalizer.Standardize(validation.Features, train.SampleSize, mean, std);
            Normalizer.Standardize(test.Features, train.SampleSize, mean, std);
        }
    }

    private static string Hash(DataSetOptions options, string format, string normalization, CancellationToken cancellationToken)
    {
        using var hasher = new ContentHasher();
        hasher.AddText("Compression.Data.DataSetLoader/1;");
        if (format == "idx")
        {
            hasher.AddFile("train.features", options.Train.Features!, cancellationToken);
            hasher.AddFile("train.labels", options.Train.Labels!, cancellationToken);
            hasher.AddFile("test.features", options.Test.Features!, cancellationToken);
            hasher.AddFile("test.labels", options.Test.Labels!, cancellationToken);
        }
        else
        {
            hasher.AddFile("train", options.Train.Path!, cancellationToken);
            hasher.AddFile("test", options.Test.Path!, cancellationToken);
            hasher.AddText(options.LabelColumnIndex is int index ? $"labelColumnIndex={index};" : $"labelColumn={options.LabelColumn.ToLowerInvariant()};");
        }
        hasher.AddText(string.Create(CultureInfo.InvariantCulture,
            $"format={format};normalization={normalization};scale={(normalization == "scale" ? options.Scale : 0):R};validationFraction={options.ValidationFraction:R};seed={options.Seed};"));
        return hasher.Finish();
    }

    private sealed record RawSplit(float[] Features, int[] SampleShape, int[] Labels, string FeaturesPath, string LabelsPath);
}
