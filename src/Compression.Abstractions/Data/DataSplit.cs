namespace Compression.Abstractions.Data;

/// <summary>Names one of the three splits.</summary>
public enum DataSplit
{
    /// <summary>The training split.</summary>
    Train,

    /// <summary>The validation split.</summary>
    Validation,

    /// <summary>The test split.</summary>
    Test,

    /// <summary>
    /// Samples without labels (<see cref="DataSplits.Transfer"/>): the teacher labels them with soft
    /// targets, so a student learns from more data than was labelled.
    /// </summary>
    Transfer,
}
