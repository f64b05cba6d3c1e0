using System.Text;
using Compression.Data.Csv;
using Compression.Data.Idx;

namespace Compression.Data.Tests.Fuzz;

/// <summary>
/// Issue 12: random mutations of valid IDX and CSV files (fixed seed, bounded count) end either in a
/// result or in the readers' typed input error, never another exception, and never allocate far more
/// than the input describes.
/// </summary>
public sealed partial class ReaderFuzzTests : IDisposable
{
    private const int Cases = 400;
    private const long AllocationBound = 64L << 20;
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mutated_idx_image_files_read_or_fail_with_a_data_format_error(bool gzip)
    {
        byte[] pixels = [.. Enumerable.Range(0, 5 * 4 * 3).Select(i => (byte)i)];
        byte[] valid = File.ReadAllBytes(_files.WriteIdx("valid.idx", 0x08, [5, 4, 3], pixels, gzip));
        Run(valid, path => IdxReader.ReadFeatures(path), seed: gzip ? 11 : 12);
    }

    [Fact]
    public void Mutated_idx_label_files_read_or_fail_with_a_data_format_error()
    {
        byte[] valid = File.ReadAllBytes(_files.WriteIdx("labels.idx", 0x08, [20], [.. Enumerable.Range(0, 20).Select(i => (byte)(i % 4))]));
        Run(valid, path => IdxReader.ReadLabels(path), seed: 13);
    }

    [Fact]
    public void Mutated_csv_files_read_or_fail_with_a_data_format_error()
    {
        var csv = new StringBuilder("a,b,c,label\n");
        for (int i = 0; i < 30; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i * 0.5},{-i},{i % 7}.25,{(i % 3 == 0 ? "cat" : "dog")}\n");
        }
        Run(Encoding.UTF8.GetBytes(csv.ToString()), path => CsvReader.Read(path, CsvLabelColumn.Named("label")), seed: 14);
    }

    private void Run(byte[] valid, Action<string> read, int seed) => Run(Mutator.Cases(valid, Cases, seed), read, seed);

    /// <summary>Reads every case; returns how many were read and how many refused with the typed error.</summary>
    private (int Succeeded, int Refused) Run(IEnumerable<byte[]> cases, Action<string> read, int seed)
    {
        int succeeded = 0, refused = 0;
        int index = 0;
        foreach (byte[] mutated in cases)
        {
            string path = _files.WriteBytes($"case-{seed}-{index++}.bin", mutated);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                read(path);
                succeeded++;
            }
            catch (DataFormatException)
            {
                refused++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"case {index - 1} (seed {seed}) threw {ex.GetType().Name}: {ex.Message}\ninput: {Convert.ToHexString(mutated.AsSpan(0, Math.Min(64, mutated.Length)))}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < AllocationBound + (mutated.Length * 64L), $"case {index - 1} (seed {seed}) allocated {allocated:N0} bytes for a {mutated.Length}-byte file");
            File.Delete(path);
        }
        Assert.True(refused > 0, "no mutation was refused: the fuzzer is not exercising the error paths");
        Assert.Equal(index, succeeded + refused);
        return (succeeded, refused);
    }
}
