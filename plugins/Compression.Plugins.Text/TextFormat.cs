using System.Globalization;
using Compression.Data;
using Compression.Data.Formats;
using Compression.Data.Loading;

namespace Compression.Plugins.Text;

/// <summary>
/// The "text" format: a split's <c>path</c> is a CSV file (RFC 4180, a header row) or a JSON Lines file
/// (.jsonl: one object a line), chosen by extension, with a text column and, in train and test, a label
/// column (<see cref="TextSettings"/>). Each text is tokenised with the BERT WordPiece tokenizer of
/// Microsoft.ML.Tokenizers over the vocabulary <c>data.settings.vocab</c> into one sample of shape
/// <c>[2, maxLength]</c>: row 0 the token ids (<c>[CLS] text [SEP]</c>, then [PAD]), row 1 the attention
/// mask (1 for real tokens, 0 for padding), as float32, which is exact for ids below 2^24 (a larger
/// vocabulary is refused). A text longer than <c>maxLength - 2</c> tokens keeps its first ones; how many
/// were cut is reported on the progress lines. Samples are cached in the run's data cache folder under
/// a hash of the file's bytes, the settings and the vocabulary's bytes; the files are parsed and
/// checked on every read (an empty text, invalid UTF-8, a missing column or a bad label is an error at
/// its line), only tokenising is skipped. The samples must reach the model as they are, so the data's
/// normalisation must be "none".
/// </summary>
public sealed class TextFormat : DataFormat
{
    /// <summary>Changes when what a cached file holds for the same bytes and settings changes.</summary>
    private const string CacheVersion = "text-tokens/1";

    /// <inheritdoc/>
    public override string Name => "text";

    /// <inheritdoc/>
    public override IReadOnlyList<string> FileKeys { get; } = ["path"];

    /// <inheritdoc/>
    public override Type? SettingsType => typeof(TextSettings);

    /// <inheritdoc/>
    public override string FeaturesFileDescription => "a CSV or JSON Lines text file";

    /// <inheritdoc/>
    public override string ExampleFiles => "{\"path\": \"text/train.csv\"} (CSV with a header row, or .jsonl)";

    /// <inheritdoc/>
    public override DataFormatContent Read(DataSetOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = (TextSettings)(options.FormatSettings ?? throw new ArgumentException("data.settings: the text format needs its settings bound", nameof(options)));
        CheckNormalization(options);
        WordPieceVocabulary vocabulary = WordPieceVocabulary.Load(VocabPath(options, settings), settings.Lowercase);
        if (settings.IsPairs)
        {
            return ReadPairs(options, settings, vocabulary, cancellationToken);
        }

        TextRows train = ReadRows(options.Train.Path!, settings, labelled: true, cancellationToken);
        TextRows test = ReadRows(options.Test.Path!, settings, labelled: true, cancellationToken);
        TextRows? transfer = options.Transfer is DataFiles files ? ReadRows(files.Path!, settings, labelled: false, cancellationToken) : null;
        (int[][] labels, string[]? classNames) = TextLabels.Encode([train, test], settings.LabelColumn);
        var encoder = new WordPieceEncoder(vocabulary, settings.MaxLength);
        CheckMemory(options, encoder, [train, test, transfer]);

        var reader = new TextSplitReader(encoder, SettingsKey(settings, vocabulary), options, cancellationToken);
        var trainSplit = new DataFormatSplit(reader.Read("train", train, settings.MaxLength), encoder.SampleShape, labels[0], train.Path, train.Path);
        var testSplit = new DataFormatSplit(reader.Read("test", test, settings.MaxLength), encoder.SampleShape, labels[1], test.Path, test.Path);
        DataFormatSplit? transferSplit = transfer is null
            ? null
            : DataFormatSplit.Unlabelled(reader.Read("transfer", transfer, settings.MaxLength), encoder.SampleShape, transfer.Texts.Length, transfer.Path);
        return new DataFormatContent(trainSplit, testSplit, transferSplit, classNames);
    }

    /// <summary>
    /// Unlabelled texts for train and transfer, and the test file's query/document pairs as one split: its
    /// N queries, then its N documents in the same order. Each column of the test file is tokenised and
    /// cached on its own (the column is part of the cache key).
    /// </summary>
    private static DataFormatContent ReadPairs(DataSetOptions options, TextSettings settings, WordPieceVocabulary vocabulary, CancellationToken cancellationToken)
    {
        TextRows train = ReadRows(options.Train.Path!, settings, labelled: false, cancellationToken);
        TextRows queries = ReadRows(options.Test.Path!, settings.QueryColumn!, null, cancellationToken);
        TextRows documents = ReadRows(options.Test.Path!, settings.DocumentColumn!, null, cancellationToken);
        TextRows? transfer = options.Transfer is DataFiles files ? ReadRows(files.Path!, settings, labelled: false, cancellationToken) : null;
        var encoder = new WordPieceEncoder(vocabulary, settings.MaxLength);
        CheckMemory(options, encoder, [train, queries, documents, transfer]);

        var reader = new TextSplitReader(encoder, SettingsKey(settings, vocabulary, settings.TextColumn), options, cancellationToken);
        float[] trainSamples = reader.Read("train", train, settings.MaxLength);
        float[] querySamples = new TextSplitReader(encoder, SettingsKey(settings, vocabulary, settings.QueryColumn!), options, cancellationToken).Read("test queries", queries, settings.MaxLength);
        float[] documentSamples = new TextSplitReader(encoder, SettingsKey(settings, vocabulary, settings.DocumentColumn!), options, cancellationToken).Read("test documents", documents, settings.MaxLength);
        float[] testSamples = [.. querySamples, .. documentSamples];
        DataFormatSplit? transferSplit = transfer is null
            ? null
            : DataFormatSplit.Unlabelled(reader.Read("transfer", transfer, settings.MaxLength), encoder.SampleShape, transfer.Texts.Length, transfer.Path);
        return new DataFormatContent(
            DataFormatSplit.Unlabelled(trainSamples, encoder.SampleShape, train.Texts.Length, train.Path),
            DataFormatSplit.Unlabelled(testSamples, encoder.SampleShape, queries.Texts.Length * 2, queries.Path),
            transferSplit)
        { Unlabelled = true };
    }

    /// <summary>The settings, and the vocabulary by its SHA-256: a changed vocabulary is changed data.</summary>
    public override string? HashedSettings(DataSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = (TextSettings)options.FormatSettings!;
        string vocab = (options.Digests ?? new DataFileDigests()).Of(VocabPath(options, settings));
        return $"{base.HashedSettings(options)}vocab={vocab};";
    }

    /// <summary>The vocabulary's absolute path: relative ones are relative to compression.json (<see cref="DataSetOptions.BaseDirectory"/>).</summary>
    private static string VocabPath(DataSetOptions options, TextSettings settings) =>
        Path.GetFullPath(settings.Vocab!, options.BaseDirectory ?? Directory.GetCurrentDirectory());

    /// <summary>What a cached file's key takes besides its bytes: everything that changes its samples.</summary>
    private static string SettingsKey(TextSettings settings, WordPieceVocabulary vocabulary) => SettingsKey(settings, vocabulary, settings.TextColumn);

    /// <summary>As <see cref="SettingsKey(TextSettings, WordPieceVocabulary)"/> for the texts of <paramref name="column"/>.</summary>
    private static string SettingsKey(TextSettings settings, WordPieceVocabulary vocabulary, string column) =>
        $"{CacheVersion};textColumn={column};maxLength={settings.MaxLength};lowercase={settings.Lowercase};vocab={vocabulary.Sha256}";

    private static TextRows ReadRows(string path, TextSettings settings, bool labelled, CancellationToken cancellationToken) =>
        ReadRows(path, settings.TextColumn, labelled ? settings.LabelColumn : null, cancellationToken);

    private static TextRows ReadRows(string path, string textColumn, string? labelColumn, CancellationToken cancellationToken)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".csv" or ".jsonl"))
        {
            throw new DataFormatException(path,
                $"{Path.GetFileName(path)}: expected a .csv file (a header row, then one text a row) or a .jsonl file (one JSON object a line), found a \"{extension}\" file");
        }
        string text = Utf8Text.Read(path);
        TextRows rows = extension == ".csv"
            ? CsvTextReader.Read(path, text, textColumn, labelColumn, cancellationToken)
            : JsonLinesTextReader.Read(path, text, textColumn, labelColumn, cancellationToken);
        for (int i = 0; i < rows.Texts.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(rows.Texts[i]))
            {
                string found = rows.Texts[i].Length == 0 ? "an empty text" : "only whitespace";
                throw new DataFormatException(path, $"{rows.At(i, textColumn, rows.TextField)}: expected a text to tokenise, found {found}", rows.Lines[i], rows.TextField);
            }
        }
        return rows;
    }

    private static void CheckNormalization(DataSetOptions options)
    {
        if (options.DeclaredNormalization is null && !string.Equals(options.Normalization, "none", StringComparison.OrdinalIgnoreCase))
        {
            throw new DataOptionException("data.normalization",
                $"data.normalization: the text format's samples are token ids and an attention mask, which must reach the model as they are: expected \"none\", found \"{options.Normalization}\"");
        }
    }

    /// <summary>Refuses a data set whose samples alone exceed one array or the run's memory budget, before tokenising.</summary>
    private static void CheckMemory(DataSetOptions options, WordPieceEncoder encoder, TextRows?[] files)
    {
        string shape = string.Join(", ", encoder.SampleShape);
        foreach (TextRows? rows in files)
        {
            if (rows is not null && (long)rows.Texts.Length * encoder.SampleSize > Array.MaxLength)
            {
                throw new DataOptionException("data.settings.maxLength", string.Create(CultureInfo.InvariantCulture,
                    $"data.settings.maxLength: the {rows.Texts.Length:N0} texts of {rows.Path} as [{shape}] are more than the {Array.MaxLength:N0} values one split can hold: expected a smaller maxLength or fewer texts"));
            }
        }
        if (options.MemoryBudget is not { } budget)
        {
            return;
        }
        long texts = files.Sum(rows => (long)(rows?.Texts.Length ?? 0));
        long bytes = texts * encoder.SampleSize * sizeof(float);
        if (bytes > budget.Bytes)
        {
            throw new DataOptionException("data.settings.maxLength", string.Create(CultureInfo.InvariantCulture,
                $"data.settings.maxLength: {texts:N0} texts of [{shape}] take {bytes / 1048576.0:N1} MiB as floats, more than the memory budget of {budget.Bytes / 1048576.0:N1} MiB ({budget.Source}): expected a smaller maxLength, fewer texts, or a larger maxModelMemoryMb (the data set is held in memory whole)"));
        }
    }
}
