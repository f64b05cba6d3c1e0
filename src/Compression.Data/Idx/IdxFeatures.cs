namespace Compression.Data.Idx;

/// <summary>
/// The samples of an IDX features file, as raw (not yet normalised) values. Kept apart from the
/// labels because IDX stores them in a separate file; the loader pairs the two and checks the counts.
/// </summary>
/// <param name="Features">Row-major values of all samples, <paramref name="Count"/> times the product of <paramref name="SampleShape"/>.</param>
/// <param name="SampleShape">Shape of one sample: [1, rows, cols] for 3-D image files (channel-first grey), else the file's dimensions after the first.</param>
/// <param name="Count">Number of samples (the file's first dimension).</param>
/// <param name="DataType">The element type stored in the file.</param>
public sealed record IdxFeatures(float[] Features, int[] SampleShape, int Count, IdxDataType DataType);
