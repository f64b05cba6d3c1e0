namespace Compression.Abstractions.Stages;

/// <summary>
/// A tap names a teacher tensor that cannot be read: it does not exist (the message lists the names that
/// do), its shape is not fixed apart from the batch, or it is not a float tensor. The distill stage
/// reports it as bad input at the tap.
/// </summary>
public sealed class FeatureTapException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what the teacher has instead.</param>
    public FeatureTapException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public FeatureTapException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
