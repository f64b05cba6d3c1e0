namespace Compression.Plugins.Pruning;

/// <summary>A model as the prune report compares it: its ONNX file, multiply-adds and parameters per sample, and which test samples it gets right.</summary>
/// <param name="Onnx">The ONNX file timed side by side with the other model.</param>
/// <param name="Flops">Multiply-adds per sample.</param>
/// <param name="Parameters">Parameters.</param>
/// <param name="Correct">Per test sample, whether the model's top-1 class is the label.</param>
internal sealed record MeasuredModel(string Onnx, long Flops, long Parameters, bool[] Correct)
{
    public double Accuracy => Correct.Length == 0 ? 0 : (double)Correct.Count(c => c) / Correct.Length;
}
