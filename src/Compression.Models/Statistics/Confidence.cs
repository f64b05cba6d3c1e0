namespace Compression.Models.Statistics;

/// <summary>Validation shared by the interval builders.</summary>
internal static class Confidence
{
    /// <summary>Throws unless <paramref name="confidence"/> lies strictly between 0 and 1.</summary>
    public static void Check(double confidence)
    {
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Expected a confidence strictly between 0 and 1, e.g. 0.95.");
        }
    }
}
