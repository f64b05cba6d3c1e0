using System.Globalization;
using Compression.Abstractions.Data;
using Compression.Data.Batching;
using Compression.Data.Formats;

namespace Compression.Data.Loading;

/// <summary>
/// Turns the <c>data</c> settings into the splits every stage works on: reads train, test and the
/// optional unlabelled transfer file through their <see cref="DataFormat"/> (IDX, CSV or a plugin's), checks that the files agree with each other,
/// carves a seeded validation split from train, optionally keeps the labels of a seeded,
/// class-stratified subset of the remaining training rows only (the others become transfer data),
/// normalises with statistics from the training rows only, and hashes the sources and settings so
/// that caches notice any change. The same options and files always give the same splits.
/// </summary>
public static class DataSetLoader
{
    /// <summary>Loads the splits; see <see cref="LoadDataSet"/>.</summary>
    /// <param name="options">Files (absolute paths) and settings.</param>
    /// <param name="cancellationToken">Stops a long load.</param>
    /// <exception cref="DataFormatException">A file is malformed, the files disagree (counts, feature shapes), a split is empty, or a test class has no training sample.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="LoadDataSet"/>).</exception>
    public static DataSplits Load(DataSetOptions options, CancellationToken cancellationToken = default) =>
        LoadDataSet(options, cancellationToken).Splits;

    /// <summary>
    /// Loads the splits, and every training row with its label for a teacher trained here. With
    /// <see cref="DataSetOptions.LabeledCount"/> or <see cref="DataSetOptions.LabeledFraction"/>, the
    /// splits' train holds only the chosen subset (in file order) and their transfer data starts with
    /// the other training rows, labels hidden; the transfer file's rows follow.
    /// </summary>
    /// <param name="options">Files (absolute paths) and settings.</param>
    /// <param name="cancellationToken">Stops a long load.</param>
    /// <exception cref="DataFormatException">A file is malformed, the files disagree (counts, feature shapes), a split is empty, or a test class has no training sample.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="ArgumentException">
    /// An option is invalid (unknown format or normalisation, fraction outside [0, 1), a missing path).
    /// A <see cref="DataOptionException"/> names the option for the new ones: a labels file for
    /// transfer data, a labelled count outside [1, training rows], a labelled fraction outside (0, 1],
    /// or both given.
    /// </exception>
    public static LoadedDataSet LoadDataSet(DataSetOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string format = options.Format.ToLowerInvariant();
        string normalization = options.Normalization.ToLowerInvariant();
        DataSetOptionsValidator.Validate(options, format, normalization);

        DataFormat reader = options.Formats.Find(format)!;
        DataFormatContent content = reader.Read(options, cancellationToken);
        CheckContent(reader, content, options.Transfer is not null);
        DataFormatSplit train = content.Train;
        DataFormatSplit test = content.Test;
        DataFormatSplit? transfer = content.Transfer;
        IReadOnlyList<string>? classNames = content.ClassNames;
        int classCount = content.Unlabelled ? 0 : classNames?.Count ?? Math.Max(MaxLabel(train.Labels), MaxLabel(test.Labels)) + 1;
        CheckSameShape(train, test);
        if (transfer is not null)
        {
            CheckSameShape(train, transfer);
        }
        if (content.Unlabelled && (options.LabeledCount ?? options.LabeledFraction) is not null)
        {
            string option = options.LabeledCount is not null ? "data.labeledCount" : "data.labeledFraction";
            throw new DataOptionException(option, $"{option}: the data has no labels to keep (its format read it unlabelled), so there is nothing to choose: remove it");
        }
        if (!content.Unlabelled && classCount < 2)
        {
            throw new DataFormatException(train.LabelsPath,
                $"{Path.GetFileName(train.LabelsPath)}: expected at least 2 classes over the train and test labels, found {Math.Max(classCount, 0)}.");
        }
        cancellationToken.ThrowIfCancellationRequested();

        (int[] trainRows, int[] validationRows) = SplitRows(train.Labels.Length, options.ValidationFraction, options.Seed);
        CheckSizes(train, test, trainRows.Length, validationRows.Length, classCount, options.ValidationFraction);
        if (!content.Unlabelled)
        {
            CheckTestClassesAreTrained(train, test, trainRows, validationRows.Length, classNames);
        }
        int? labeledCount = content.Unlabelled ? null : DataSetOptionsValidator.LabeledCount(options, trainRows.Length, classCount);
        var all = new LabelledData(train.Rows, train.SampleShape, train.Labels);
        LabelledData teacherTrain = all.Take(trainRows, hideLabels: false);
        LabelledData validationData = all.Take(validationRows, hideLabels: false);
        var testData = new LabelledData(test.Rows, train.SampleShape, test.Labels);
        var transferData = transfer is null ? new LabelledData([], train.SampleShape, []) : new LabelledData(transfer.Rows, train.SampleShape, transfer.Labels);
        InputNormalization applied = Normalization(options.DeclaredNormalization, normalization, options.Scale, teacherTrain);
        teacherTrain = Normalized(teacherTrain, applied);
        validationData = Normalized(validationData, applied);
        testData = Normalized(testData, applied);
        transferData = Normalized(transferData, applied);

        LabelledData studentTrain = teacherTrain;
        if (labeledCount is int count)
        {
            (int[] kept, int[] hidden) = StratifiedSubset.Choose(teacherTrain.Labels, count, options.Seed);
            studentTrain = teacherTrain.Take(kept, hideLabels: false);
            transferData = LabelledData.Concat(teacherTrain.Take(hidden, hideLabels: true), transferData);
        }

        DataFileDigests digests = options.Digests ?? new DataFileDigests();
        string hash = Hash(options with { Digests = digests }, reader, format, normalization, cancellationToken);
        var splits = new DataSplits(studentTrain, validationData, testData, classCount, hash) { Transfer = transferData };
        return new LoadedDataSet(splits, teacherTrain) { Normalization = applied, Digests = digests };
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

    /// <summary>A format that returns features and labels that do not fit together is a bug in the format, not bad data.</summary>
    private static void CheckContent(DataFormat reader, DataFormatContent content, bool transferExpected)
    {
        foreach (DataFormatSplit? split in new[] { content.Train, content.Test, content.Transfer })
        {
            long values = split is null ? 0 : (long)split.Rows.Count * split.Rows.SampleSize;
            if (split is not null && (split.SampleShape.Length == 0 || split.SampleShape.Any(d => d <= 0)
                || values != (long)split.Labels.Length * split.SampleShape.Aggregate(1L, (a, d) => a * d)
                || split.Rows.Count != split.Labels.Length))
            {
                throw new InvalidOperationException(
                    $"data format \"{reader.Name}\" ({reader.GetType().FullName}) returned {values} feature values for {split.Labels.Length} labels of shape [{string.Join(", ", split.SampleShape)}] from {split.FeaturesPath}");
            }
        }
        if (transferExpected != content.Transfer is not null)
        {
            throw new InvalidOperationException($"data format \"{reader.Name}\" ({reader.GetType().FullName}) {(transferExpected ? "read no" : "read a")} transfer split, but the options {(transferExpected ? "name" : "name no")} transfer files");
        }
    }

    private static void CheckSameShape(DataFormatSplit train, DataFormatSplit test)
    {
        if (!train.SampleShape.AsSpan().SequenceEqual(test.SampleShape))
        {
            throw new DataFormatException(test.FeaturesPath,
                $"{Path.GetFileName(test.FeaturesPath)}: expected samples of shape [{string.Join(", ", train.SampleShape)}] as in {Path.GetFileName(train.FeaturesPath)}, found [{string.Join(", ", test.SampleShape)}].");
        }
    }

    /// <summary>
    /// Every split must hold samples: a training split smaller than the number of classes cannot
    /// teach them all, and an empty validation or test split gives no figure to report or gate on.
    /// </summary>
    private static void CheckSizes(DataFormatSplit train, DataFormatSplit test, int trainRows, int validationRows, int classCount, double validationFraction)
    {
        string trainFile = Path.GetFileName(train.LabelsPath);
        if (test.Labels.Length == 0)
        {
            throw new DataFormatException(test.LabelsPath, $"{Path.GetFileName(test.LabelsPath)}: holds no samples: the test split needs at least one");
        }
        if (train.Labels.Length == 0)
        {
            throw new DataFormatException(train.LabelsPath, $"{trainFile}: holds no samples: the training data needs at least one per class");
        }
        if (validationFraction > 0 && validationRows == 0)
        {
            throw new DataFormatException(train.LabelsPath,
                $"{trainFile}: {train.Labels.Length} sample(s) leave no validation sample at validationFraction {validationFraction.ToString(CultureInfo.InvariantCulture)}: give more data or a larger fraction");
        }
        if (trainRows < classCount)
        {
            throw new DataFormatException(train.LabelsPath,
                $"{trainFile}: {trainRows} training sample(s) after the validation split, fewer than the {classCount} classes: each class needs at least one");
        }
    }

    /// <summary>
    /// Every class the test split holds must have a training sample after the validation split:
    /// nothing can learn a class it never sees, and its test samples would count as mistakes of the
    /// model rather than of the data.
    /// </summary>
    private static void CheckTestClassesAreTrained(DataFormatSplit train, DataFormatSplit test, int[] trainRows, int validationRows, IReadOnlyList<string>? classNames)
    {
        var trained = new HashSet<int>(trainRows.Select(row => train.Labels[row]));
        int[] untrained = [.. test.Labels.Where(label => !trained.Contains(label)).Distinct().Order()];
        if (untrained.Length == 0)
        {
            return;
        }
        int first = untrained[0];
        string name = classNames is null ? first.ToString(CultureInfo.InvariantCulture) : $"'{classNames[first]}'";
        int inTest = test.Labels.Count(label => label == first);
        bool inTrainFile = train.Labels.Contains(first);
        string more = untrained.Length > 1 ? $" ({untrained.Length} classes in all)" : "";
        string? sameButCase = classNames?.Where((other, index) => trained.Contains(index) && string.Equals(other, classNames[first], StringComparison.OrdinalIgnoreCase)).FirstOrDefault();
        string where = inTrainFile
            ? $"its training samples all went to the validation split ({validationRows} of {train.Labels.Length} rows)"
            : $"{Path.GetFileName(train.LabelsPath)} has none{(sameButCase is null ? "" : $" (did you mean '{sameButCase}'? class names are case-sensitive)")}";
        throw new DataFormatException(test.LabelsPath,
            $"{Path.GetFileName(test.LabelsPath)}: class {name} has {inTest} test sample(s) but no training sample{more}: {where}; every class of the test split needs at least one training sample to be learned");
    }

    private static int MaxLabel(int[] labels) => labels.Length == 0 ? -1 : labels.Max();

    /// <summary>The normalisation to apply: as declared, else with statistics from <paramref name="train"/> only.</summary>
    private static InputNormalization Normalization(InputNormalization? declared, string normalization, double scale, LabelledData train)
    {
        if (declared is not null && declared.Mean.Length > 0 && declared.Mean.Length != train.SampleSize)
        {
            throw new ArgumentException($"the declared normalisation has {declared.Mean.Length} means but samples have {train.SampleSize} features", nameof(declared));
        }
        return declared ?? normalization switch
        {
            "scale" => InputNormalization.Scaled((float)scale),
            "standardize" => Standardized(train),
            _ => InputNormalization.None,
        };
    }

    /// <summary>
    /// The split normalised: in place when it is in memory (the loader's own copy or the format's
    /// array), else as its rows are read (the same float arithmetic, so the same values).
    /// </summary>
    private static LabelledData Normalized(LabelledData split, InputNormalization applied)
    {
        if (applied.Kind == InputNormalization.None.Kind)
        {
            return split;
        }
        if (split.IsInMemory)
        {
            applied.Apply(split.Features);
            return split;
        }
        return new LabelledData(split.Store.Transformed(applied.Apply), split.SampleShape, split.Labels);
    }

    private static InputNormalization Standardized(LabelledData train)
    {
        (float[] mean, float[] std) = Normalizer.Statistics(train);
        return InputNormalization.Standardized(mean, std);
    }

    private static string Hash(DataSetOptions options, DataFormat reader, string format, string normalization, CancellationToken cancellationToken)
    {
        using var hasher = new ContentHasher(options.Digests);
        hasher.AddText("Compression.Data.DataSetLoader/1;");
        foreach ((string split, DataFiles files) in new[] { ("train", options.Train), ("test", options.Test) })
        {
            foreach ((string role, string path, bool folder) in reader.HashedEntries(split, files, reader.FileKeys))
            {
                Add(hasher, reader, role, path, folder, cancellationToken);
            }
        }
        if (reader.HashedSettings(options) is string settings)
        {
            hasher.AddText(settings);
        }
        hasher.AddText(string.Create(CultureInfo.InvariantCulture,
            $"format={format};normalization={normalization};scale={(normalization == "scale" ? options.Scale : 0):R};validationFraction={options.ValidationFraction:R};seed={options.Seed};"));
        // Added only when set, so that the hash of a data set without them stays what it was.
        if (options.Transfer is DataFiles transfer)
        {
            foreach ((string role, string path, bool folder) in reader.HashedEntries("transfer", transfer, reader.TransferFileKeys))
            {
                Add(hasher, reader, role, path, folder, cancellationToken);
            }
        }
        if (options.DeclaredNormalization is InputNormalization declared)
        {
            hasher.AddText(string.Create(CultureInfo.InvariantCulture,
                $"declaredNormalization={declared.Kind};{declared.Scale:R};{string.Join(',', declared.Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))};{string.Join(',', declared.Std.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))};"));
        }
        if (options.LabeledCount is int count)
        {
            hasher.AddText(string.Create(CultureInfo.InvariantCulture, $"labeledCount={count};"));
        }
        if (options.LabeledFraction is double fraction)
        {
            hasher.AddText(string.Create(CultureInfo.InvariantCulture, $"labeledFraction={fraction:R};"));
        }
        return hasher.Finish();
    }

    private static void Add(ContentHasher hasher, DataFormat reader, string role, string path, bool folder, CancellationToken cancellationToken)
    {
        if (folder)
        {
            hasher.AddFolder(role, path, reader.FolderFiles(path), cancellationToken);
        }
        else
        {
            hasher.AddFile(role, path, cancellationToken);
        }
    }

}
