using System.Globalization;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Models;
using Compression.Models.Evaluation.Embeddings;
using Compression.Models.Spec;
using Compression.Models.Training;
using Compression.Plugins.Distillation.Initialization;
using Compression.Plugins.Distillation.TinyBert;
using Compression.Models.Layers;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation;

/// <summary>
/// <c>"method": "embedding"</c>, the distill stage for the <c>embedding</c> task: the student's output
/// [batch, H] is trained towards the teacher's sentence embedding of each text (train and transfer rows,
/// the teacher's embeddings computed once and cached by the host) with
/// <c>cosine * (1 - cos(s, t)) + mse * mean((s - t)^2)</c>, the weights from <c>methodParameters</c>
/// (default cosine 1, mse 0). No labels are used. The validation split's mean cosine to the teacher is reported.
/// </summary>
internal static class EmbeddingDistillation
{
    /// <summary>The method's name.</summary>
    public const string Method = "embedding";

    /// <summary>The metric reported: mean cosine of the student's to the teacher's embeddings on the validation split.</summary>
    public const string ValidationCosine = "distill.validation_cosine";

    private const string CosineWeight = "cosine", MseWeight = "mse";

    /// <summary>The name of the variant that adds TinyBERT's layer losses (<see cref="TinyBertTerms"/>).</summary>
    public const string TinyBertMethod = "tinybert";

    /// <summary>Whether the settings choose this method or its TinyBERT variant.</summary>
    public static bool Applies(DistillSettings settings) =>
        string.Equals(settings.Method, Method, StringComparison.OrdinalIgnoreCase) || IsTinyBert(settings);

    /// <summary>Whether the settings choose the TinyBERT variant.</summary>
    public static bool IsTinyBert(DistillSettings settings) => string.Equals(settings.Method, TinyBertMethod, StringComparison.OrdinalIgnoreCase);

    /// <summary>What the method does not combine with, and its weights.</summary>
    public static IEnumerable<SettingsError> Validate(DistillSettings settings, ModelSpec? student)
    {
        bool tiny = IsTinyBert(settings);
        string[] keys = tiny ? [CosineWeight, MseWeight, TinyBertTerms.HiddenWeight, TinyBertTerms.AttentionWeight] : [CosineWeight, MseWeight];
        foreach (string key in settings.MethodParameters.Keys.Where(k => !keys.Contains(k)))
        {
            yield return new SettingsError($"methodParameters.{key}", $"is not a parameter of the \"{settings.Method}\" method: expected {string.Join(", ", keys.Select(k => $"\"{k}\""))} (the weights of its loss terms)");
        }
        foreach (SettingsError error in tiny ? TinyBertErrors(settings, student) : settings.LayerMap.Count > 0 ? [new SettingsError("layerMap", $"is read only by \"method\": \"{TinyBertMethod}\"")] : [])
        {
            yield return error;
        }
        foreach (string key in keys)
        {
            if (settings.MethodParameters.TryGetValue(key, out double value) && (value < 0 || !double.IsFinite(value)))
            {
                yield return new SettingsError($"methodParameters.{key}", $"must be 0 or more, found {value.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        var (cosine, mse) = Weights(settings);
        if (cosine == 0 && mse == 0 && !tiny)
        {
            yield return new SettingsError("methodParameters", "gives both loss terms weight 0: expected \"cosine\" or \"mse\" above 0");
        }
        if (settings.TeacherMode != "offline")
        {
            yield return new SettingsError("teacherMode", $"must be \"offline\" with \"method\": \"{Method}\": the sentence encoder's embeddings are computed once and cached");
        }
        if (settings.CompareWithScratch || settings.Repeats > 1 || settings.Generations > 1 || settings.Taps.Count > 0)
        {
            string field = settings.CompareWithScratch ? "compareWithScratch" : settings.Repeats > 1 ? "repeats" : settings.Generations > 1 ? "generations" : "taps";
            yield return new SettingsError(field, $"is not supported with \"method\": \"{settings.Method}\" (it trains one student against the teacher's embeddings)");
        }
    }

    /// <summary>TinyBERT's layer losses read named encoders: each must have a name, and an explicit map one entry per encoder.</summary>
    private static IEnumerable<SettingsError> TinyBertErrors(DistillSettings settings, ModelSpec? student)
    {
        if (student is null)
        {
            yield break;
        }
        int[] encoders = [.. Enumerable.Range(0, student.Layers.Count).Where(i => student.Layers[i].Type is EncoderLayer)];
        if (encoders.Length == 0)
        {
            yield return new SettingsError("student.layers", $"has no encoder layer: \"method\": \"{TinyBertMethod}\" matches the student's encoder layers to the teacher's");
        }
        foreach (int i in encoders.Where(i => student.Layers[i].Name is null))
        {
            yield return new SettingsError($"student.layers[{i}].name", $"is missing: \"method\": \"{TinyBertMethod}\" reads each encoder's hidden states and attention through its name (e.g. \"enc{i}\")");
        }
        if (settings.LayerMap.Count > 0 && settings.LayerMap.Count != encoders.Length)
        {
            yield return new SettingsError("layerMap", $"lists {settings.LayerMap.Count} teacher layers but the student has {encoders.Length} encoder layers: expected one per student encoder, in order (or none for TinyBERT's uniform map)");
        }
    }

    /// <summary>Trains the student and returns its torch-model artifact.</summary>
    public static StageResult Run(StageContext context, DistillSettings settings, CancellationToken cancellationToken)
    {
        ModelSpec spec = ModelSpec.Parse(settings.Student!.Value, "student");
        DataSplits data = context.Data;
        if (!spec.Input.SequenceEqual(data.Train.SampleShape))
        {
            throw new StageException($"the student's input is [{string.Join(", ", spec.Input)}] but the data's samples have shape [{string.Join(", ", data.Train.SampleShape)}]", "student.input");
        }
        LabelledData rows = DistillationRows.Of(data);
        float[] targets = DistillationRows.TeacherOutputs(data, split => context.Teacher.GetLogitsAsync(split, cancellationToken));
        int hidden = targets.Length / rows.Count;
        int[] output = spec.OutputShape();
        if (output is not [int width] || width != hidden)
        {
            throw new StageException(
                $"the student gives [{string.Join(", ", output)}] per text but the teacher's embeddings have {hidden} values: end the spec with a layer of {hidden} outputs ({{\"type\": \"linear\", \"out\": {hidden}}})",
                "student.layers");
        }
        var (cosineWeight, mseWeight) = Weights(settings);
        using Tensor teacher = tensor(targets, [rows.Count, hidden]);
        using TinyBertTerms? tiny = IsTinyBert(settings)
            ? TinyBertTerms.Open(spec, context.Teacher.OnnxPath, settings.LayerMap, settings.MethodParameters.GetValueOrDefault(TinyBertTerms.HiddenWeight, 1.0),
                settings.MethodParameters.GetValueOrDefault(TinyBertTerms.AttentionWeight, 1.0), context.Seed)
            : null;
        using SequentialModel student = ModelFactory.Create(spec, context.Seed);
        string? initialised = TeacherInitialization.Apply(student, context.Teacher, settings, rows, context.Progress, cancellationToken);
        if (initialised is not null)
        {
            context.Progress.Report(new StageProgress($"{settings.Method}: {initialised}", 0, null));
        }
        TrainingSummary summary = SupervisedTrainer.Train(student, rows, new LabelledData([], data.Train.SampleShape, []), settings.ToOptions(context.Seed),
            (embeddings, batch) =>
            {
                Tensor pooled = Loss(embeddings, teacher.index_select(0, tensor(batch.Rows)), cosineWeight, mseWeight, batch.Terms);
                return tiny is null ? pooled : pooled + tiny.Loss(batch);
            },
            new EpochLines(context.Progress, settings.Method), cancellationToken, transform: null,
            extras: tiny is null ? null : new TrainingExtras { Taps = tiny.Taps, Modules = [tiny.Module] });

        float[] validationTeacher = context.Teacher.GetLogitsAsync(DataSplit.Validation, cancellationToken).GetAwaiter().GetResult();
        float[] validationStudent = ModelEvaluator.Logits(student, data.Validation);
        double cosine = EmbeddingSimilarity.MeanCosine(validationStudent, validationTeacher, hidden);
        string directory = Path.Combine(context.OutputDirectory, "student");
        TorchModelArtifact.Save(student, directory);
        string report = string.Create(CultureInfo.InvariantCulture,
            $"### distill ({settings.Method})\n\nStudent of {student.ParameterCount:N0} parameters{(initialised is null ? "" : $" ({initialised})")} trained for {summary.Steps} steps on {rows.Count:N0} texts towards the teacher's {hidden}-dimensional embeddings (loss {cosineWeight} x (1 - cosine) + {mseWeight} x MSE{(tiny is null ? "" : $" + {settings.MethodParameters.GetValueOrDefault(TinyBertTerms.HiddenWeight, 1.0)} x hidden-state MSE + {settings.MethodParameters.GetValueOrDefault(TinyBertTerms.AttentionWeight, 1.0)} x attention MSE, {tiny.Describe()}")}; last epoch's loss {summary.FinalTrainLoss:0.0000}). Mean cosine to the teacher on the {data.Validation.Count:N0} validation texts: {cosine:0.0000}.\n");
        return new StageResult([new Artifact(ArtifactKind.TorchModel, directory)], [new Metric(ValidationCosine, cosine, "ratio")], report);
    }

    private static Tensor Loss(Tensor student, Tensor teacher, double cosineWeight, double mseWeight, LossTermLog? terms)
    {
        Tensor cosine = (1 - nn.functional.cosine_similarity(student, teacher, dim: 1)).mean();
        Tensor mse = nn.functional.mse_loss(student, teacher);
        terms?.Add(CosineWeight, cosine.item<float>());
        terms?.Add(MseWeight, mse.item<float>());
        return (cosine * cosineWeight) + (mse * mseWeight);
    }

    /// <summary>One progress line per epoch with its loss terms and the ETA (synchronous, so lines keep their order).</summary>
    private sealed class EpochLines(IProgress<StageProgress> progress, string method) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            string terms = string.Join(", ", value.Terms.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value:0.0000}")));
            progress.Report(new StageProgress(
                string.Create(CultureInfo.InvariantCulture, $"{method}: epoch {value.Epoch}/{value.Epochs} loss {value.TrainLoss:0.0000} ({terms})"),
                (double)value.Epoch / value.Epochs, value.Remaining));
        }
    }

    private static (double Cosine, double Mse) Weights(DistillSettings settings) =>
        (settings.MethodParameters.GetValueOrDefault(CosineWeight, 1.0), settings.MethodParameters.GetValueOrDefault(MseWeight, 0.0));
}
