namespace Compression.Abstractions.Data;

/// <summary>The data set a pipeline runs on, split three ways.</summary>
/// <param name="Train">Used to train the teacher and the student, and to calibrate quantization.</param>
/// <param name="Validation">Held out from training: early checks, temperature fitting.</param>
/// <param name="Test">Only for the final evaluation that the gate judges.</param>
/// <param name="ClassCount">Number of classes; labels are in [0, ClassCount).</param>
/// <param name="ContentHash">Hash of the source files and the split/normalisation settings; part of every cache key.</param>
public sealed record DataSplits(LabelledData Train, LabelledData Validation, LabelledData Test, int ClassCount, string ContentHash);
