namespace Compression.Data.Loading;

/// <summary>
/// <c>data.labeledCount</c> (or <c>data.labeledFraction</c>) keeps fewer labelled training rows than
/// the data has classes, so some class would have no labelled sample; known only once the data is read.
/// </summary>
public sealed class FewerLabelsThanClassesException(string option, string message) : DataOptionException(option, message);
