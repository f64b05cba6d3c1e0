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
}
