namespace Compression.Models.Pruning;

/// <summary>A target pruning cannot reach without leaving a layer with no channels.</summary>
public sealed class PruningTargetException(string message) : Exception(message);
