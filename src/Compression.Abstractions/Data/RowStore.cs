namespace Compression.Abstractions.Data;

/// <summary>
/// Where a split's features live: <see cref="Count"/> rows of <see cref="SampleSize"/> floats, read a
/// range at a time. In memory (<see cref="InMemory"/>, one array), in a file (a data format's store,
/// e.g. decoded images too large to hold), or a view over others (<see cref="Select"/>,
/// <see cref="Concat"/>, <see cref="Transformed"/>) that copies nothing until rows are read, so a
/// split larger than memory is read a batch at a time.
/// </summary>
public abstract class RowStore
{
    /// <summary>A store of <paramref name="count"/> rows of <paramref name="sampleSize"/> values.</summary>
    protected RowStore(int count, int sampleSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleSize);
        Count = count;
        SampleSize = sampleSize;
    }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Values in one row.</summary>
    public int SampleSize { get; }

    /// <summary>The values of the whole store when it is one array in memory, else null.</summary>
    public virtual float[]? InMemoryArray => null;

    /// <summary>An in-memory store over <paramref name="values"/> (not copied), rows one after another.</summary>
    /// <exception cref="ArgumentException">The values are not a whole number of rows.</exception>
    public static RowStore InMemory(float[] values, int sampleSize) => new ArrayRows(values, sampleSize);

    /// <summary>The rows of <paramref name="first"/>, then those of <paramref name="second"/> (same sample size).</summary>
    public static RowStore Concat(RowStore first, RowStore second) => new ConcatenatedRows(first, second);

    /// <summary>Rows <paramref name="rows"/> of this store, in that order (the list is not copied).</summary>
    public RowStore Select(int[] rows) => new SelectedRows(this, rows);

    /// <summary>This store's rows with <paramref name="transform"/> applied to them as they are read (the store is not changed).</summary>
    public RowStore Transformed(RowTransform transform) => new TransformedRows(this, transform);

    /// <summary>Copies rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the store.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> holds fewer than count * <see cref="SampleSize"/> values.</exception>
    public void CopyRows(int start, int count, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, Count - count);
        long values = (long)count * SampleSize;
        if (destination.Length < values)
        {
            throw new ArgumentException($"{count} rows of {SampleSize} values need {values} values; the destination holds {destination.Length}", nameof(destination));
        }
        if (count > 0)
        {
            Read(start, count, destination[..(int)values]);
        }
    }

    /// <summary>Reads rows [start, start + count), already checked to be inside the store, into exactly count * <see cref="SampleSize"/> values.</summary>
    protected abstract void Read(int start, int count, Span<float> destination);
}
