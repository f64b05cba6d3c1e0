namespace Compression.Abstractions.Stages;

/// <summary>A teacher opened for online use: logits for any batch of samples, not cached.</summary>
public interface ITeacherSession : IDisposable
{
    /// <summary>Logits of <paramref name="count"/> row-major samples, row-major [count, classes].</summary>
    /// <param name="features">count times the sample size values, normalised like the splits.</param>
    /// <param name="count">Number of samples.</param>
    float[] Logits(ReadOnlySpan<float> features, int count);

    /// <summary>
    /// Logits and the intermediate tensors the session was opened with, in that order, each row-major
    /// [count, ...shape], from one pass over the batch.
    /// </summary>
    TeacherOutputs Run(ReadOnlySpan<float> features, int count);
}
