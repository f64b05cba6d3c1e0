using Compression.Abstractions.Data;
using Compression.Data.Loading;
using Compression.Models.Evaluation;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Core.Results;

/// <summary>
/// Writes the model an app gets (the build's model.onnx): the final student with the data's
/// normalisation put in front of its graph, so it takes raw features as the app has them, and says so
/// in its metadata. The pipeline's own copy keeps taking normalised features. Before it is moved into
/// place, the written file is checked against the student on the test split: raw input through the
/// shipped model must give the student's predictions on normalised input.
/// </summary>
public static class ShippedModel
{
    /// <summary>Metadata key that says what input the shipped model takes.</summary>
    public const string InputMetadataKey = "compression.input";

    private const int CheckedSamples = 256;

    public static void Write(string studentPath, string destination, InputNormalization normalization, LabelledData test, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentNullException.ThrowIfNull(test);
        ModelProto model = OnnxModelFile.Read(studentPath);
        if (!normalization.IsIdentity)
        {
            InputTransform.Prepend(model, normalization.Offset, normalization.Factor);
        }
        foreach (StringStringEntryProto old in model.MetadataProps.Where(p => p.Key == InputMetadataKey).ToList())
        {
            model.MetadataProps.Remove(old);
        }
        model.MetadataProps.Add(new StringStringEntryProto { Key = InputMetadataKey, Value = normalization.Describe() });

        string full = Path.GetFullPath(destination);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            OnnxModelFile.Write(model, temp);
            cancellationToken.ThrowIfCancellationRequested();
            Verify(studentPath, temp, normalization, test);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Top-1 predictions of the shipped file on raw input must match the student's on normalised input.</summary>
    private static void Verify(string studentPath, string shippedPath, InputNormalization normalization, LabelledData test)
    {
        int count = Math.Min(CheckedSamples, test.Count);
        if (count == 0)
        {
            return;
        }
        ReadOnlySpan<float> normalized = test.Rows(0, count);
        using var student = new OnnxInferenceSession(studentPath);
        using var shipped = new OnnxInferenceSession(shippedPath);
        float[] expected = student.Run(normalized, count);
        float[] actual = shipped.Run(normalization.Undo(normalized), count);
        int classes = expected.Length / count;
        int disagreements = Enumerable.Range(0, count).Count(i =>
            ClassifierEvaluator.ArgMax(expected.AsSpan(i * classes, classes)) != ClassifierEvaluator.ArgMax(actual.AsSpan(i * classes, classes)));
        // A quantized input may land in the neighbouring bucket after the round trip; a wrong graph disagrees everywhere.
        if (disagreements > Math.Max(1, count / 100))
        {
            throw new InvalidOperationException($"the shipped model on raw input disagrees with the student on {disagreements} of {count} test samples; this is a bug");
        }
    }
}
