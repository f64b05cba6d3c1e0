using System.Text.Json;
using Compression.Abstractions.Data;
using Compression.Models;
using Compression.Models.Spec;
using Compression.Models.Training;

namespace Compression.Core.Teacher.Backbone;

/// <summary>
/// A linear classifier fitted on a backbone's features (a linear probe): the features are standardised
/// with their train-split mean and deviation, one linear layer is trained with cross-entropy by the
/// pipeline's own trainer (Adam, cosine schedule, weight decay; the validation split reported), and the
/// standardisation is folded into the weights, so the head is one Gemm on the raw features.
/// </summary>
internal static class LinearProbe
{
    /// <summary>How the probe trains: enough epochs for a convex problem on a few thousand rows, small decay against over-fitting few labels.</summary>
    public static TrainingSettings Settings { get; } = new() { Epochs = 40, BatchSize = 128, LearningRate = 3e-3, WeightDecay = 1e-4 };

    /// <summary>Weights [classes, width] and bias [classes] of <c>logits = W f + b</c> on raw features <c>f</c>.</summary>
    public static (float[] Weight, float[] Bias, TrainingSummary Summary) Fit(
        LabelledData train, LabelledData validation, int classCount, int seed, IProgress<EpochReport>? progress, CancellationToken cancellationToken)
    {
        int width = train.SampleSize;
        (float[] mean, float[] std) = Statistics(train.Features, width);
        LabelledData standardTrain = Standardize(train, mean, std);
        LabelledData standardValidation = Standardize(validation, mean, std);
        using var document = JsonDocument.Parse($$"""{ "input": [{{width}}], "layers": [{ "type": "linear", "out": {{classCount}} }] }""");
        ModelSpec spec = ModelSpec.Parse(document.RootElement, "head");
        using SequentialModel model = ModelFactory.Create(spec, seed);
        TrainingSummary summary = SupervisedTrainer.Train(model, standardTrain, standardValidation, Settings.ToOptions(seed), Losses.CrossEntropy, progress, cancellationToken);

        var parameters = model.parameters().ToList();
        float[] w = parameters.Single(p => p.dim() == 2).data<float>().ToArray();
        float[] b = parameters.Single(p => p.dim() == 1).data<float>().ToArray();
        // W (f - mean) / std + b  =  (W / std) f + (b - W (mean / std))
        var weight = new float[w.Length];
        var bias = new float[classCount];
        for (int c = 0; c < classCount; c++)
        {
            double shift = b[c];
            for (int j = 0; j < width; j++)
            {
                weight[(c * width) + j] = w[(c * width) + j] / std[j];
                shift -= (double)w[(c * width) + j] * mean[j] / std[j];
            }
            bias[c] = (float)shift;
        }
        return (weight, bias, summary);
    }

    private static (float[] Mean, float[] Std) Statistics(float[] features, int width)
    {
        int rows = features.Length / width;
        var mean = new double[width];
        var squares = new double[width];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < width; j++)
            {
                mean[j] += features[(r * width) + j];
            }
        }
        for (int j = 0; j < width; j++)
        {
            mean[j] /= Math.Max(rows, 1);
        }
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < width; j++)
            {
                double d = features[(r * width) + j] - mean[j];
                squares[j] += d * d;
            }
        }
        // A feature that never varies gets a deviation of 1: it then only shifts the bias.
        return ([.. mean.Select(m => (float)m)], [.. squares.Select(s => Math.Sqrt(s / Math.Max(rows, 1))).Select(s => s > 1e-6 ? (float)s : 1f)]);
    }

    private static LabelledData Standardize(LabelledData data, float[] mean, float[] std)
    {
        int width = mean.Length;
        var values = new float[data.Features.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (data.Features[i] - mean[i % width]) / std[i % width];
        }
        return new LabelledData(values, [width], data.Labels);
    }
}
