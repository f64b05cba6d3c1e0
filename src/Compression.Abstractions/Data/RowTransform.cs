namespace Compression.Abstractions.Data;

/// <summary>Changes whole rows in place (e.g. a normalisation), as a <see cref="RowStore.Transformed"/> store reads them.</summary>
/// <param name="rows">A whole number of rows, one after another.</param>
public delegate void RowTransform(Span<float> rows);
