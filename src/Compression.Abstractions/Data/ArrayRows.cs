namespace Compression.Abstractions.Data;

/// <summary>Rows held in one array.</summary>
internal sealed class ArrayRows : RowStore
{
    private readonly float[] _values;

    public ArrayRows(float[] values, int sampleSize)
        : base(RowCount(values, sampleSize), sampleSize) => _values = values;

    public override float[] InMemoryArray => _values;

    protected override void Read(int start, int count, Span<float> destination) =>
        _values.AsSpan(start * SampleSize, destination.Length).CopyTo(destination);

    private static int RowCount(float[] values, int sampleSize)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleSize);
        if (values.Length % sampleSize != 0)
        {
            throw new ArgumentException($"{values.Length} values are not a whole number of rows of {sampleSize}", nameof(values));
        }
        return values.Length / sampleSize;
    }
}
