using System.Globalization;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Data.Loading;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Core.Results;

/// <summary>
/// Writes the model an app gets (the build's model.onnx): the final student with the data's
/// normalisation put in front of its graph, so it takes raw features as the app has them, and says so
/// in its metadata. The pipeline's own copy keeps taking normalised features. Before it is moved into
/// place, the written file is checked against the student on test samples: its logits on raw input
/// must equal the student's on the loader's normalisation of that input.
/// </summary>
public static class ShippedModel
{
    /// <summary>Metadata key that says what input the shipped model takes.</summary>
    public const string InputMetadataKey = "compression.input";

    private const int CheckedSamples = 256;

    /// <summary>Largest difference allowed between a logit of the shipped model and the student's, relative to the largest |logit| (at least 1): <see cref="OutputAgreement"/>.</summary>
    private const float Tolerance = 1e-4f;

    /// <summary>Writes the student at <paramref name="studentPath"/>, taking raw input, to <paramref name="destination"/> (atomically, after the check).</summary>
    /// <param name="provenance">Further metadata entries for the file (the run's lineage), replacing any of the same key.</param>
    /// <exception cref="InvalidOperationException">The written model does not reproduce the student: a bug.</exception>
    /// <param name="inputDescription">What the model takes, for its metadata, when not what <paramref name="normalization"/> describes (an app's model keeps its declared input).</param>
    public static void Write(string studentPath, string destination, InputNormalization normalization, LabelledData test, CancellationToken cancellationToken,
        IReadOnlyList<KeyValuePair<string, string>>? provenance = null, string? inputDescription = null)
    {
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentNullException.ThrowIfNull(test);
        ModelProto model = OnnxModelFile.Read(studentPath);
        if (normalization.Kind == "scale")
        {
            InputTransform.PrependScale(model, normalization.Scale);
        }
        else if (normalization.Kind == "standardize")
        {
            InputTransform.PrependStandardization(model, normalization.Mean, normalization.Std);
        }
        var entries = new List<KeyValuePair<string, string>> { new(InputMetadataKey, inputDescription ?? normalization.Describe()) };
        entries.AddRange(provenance ?? []);
        foreach (StringStringEntryProto old in model.MetadataProps.Where(p => entries.Any(e => e.Key == p.Key)).ToList())
        {
            model.MetadataProps.Remove(old);
        }
        model.MetadataProps.AddRange(entries.Select(e => new StringStringEntryProto { Key = e.Key, Value = e.Value }));

        // Checked before it is moved into place: a shipped model that disagrees never appears.
        AtomicFile.Write(destination, temporary =>
        {
            OnnxModelFile.Write(model, temporary);
            cancellationToken.ThrowIfCancellationRequested();
            Verify(studentPath, temporary, normalization, test);
        });
    }

    /// <summary>
    /// The shipped file's logits on raw test samples (the normalised ones undone) must equal the
    /// student's on those raw samples normalised by the loader's own code, within <see cref="Tolerance"/>.
    /// Both see the same float arithmetic, so even a quantized student's input lands in the same buckets.
    /// </summary>
    /// <exception cref="InvalidOperationException">A logit differs: the shipped graph is wrong, which is a bug.</exception>
    internal static void Verify(string studentPath, string shippedPath, InputNormalization normalization, LabelledData test)
    {
        int count = Math.Min(CheckedSamples, test.Count);
        if (count == 0)
        {
            return;
        }
        float[] raw = normalization.Undo(test.Rows(0, count));
        float[] normalized = raw.ToArray();
        normalization.Apply(normalized);
        using var student = new OnnxInferenceSession(studentPath);
        using var shipped = new OnnxInferenceSession(shippedPath);
        float[] expected = student.Run(normalized, count);
        float[] actual = shipped.Run(raw, count);
        OutputAgreement agreement = OutputAgreement.Of(expected, actual);
        if (!agreement.Within(Tolerance))
        {
            int i = agreement.WorstIndex;
            int classes = expected.Length / count;
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"the shipped model on raw input gives logit {actual[i]:R} for class {i % classes} of test sample {i / classes}, the student on normalised input {expected[i]:R} (tolerance {Tolerance:G2} x {agreement.Scale:G3}, the largest |logit|); this is a bug"));
        }
    }
}
