using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Compression.Data.Csv;
using Compression.Data.Idx;

namespace Compression.Data.Tests.Fuzz;

/// <summary>
/// Mutations that know the formats, so they reach past what byte-level noise rarely hits: IDX header
/// fields (type, rank, every dimension set to 0, 1, off by one, huge or 0xFFFFFFFF) in raw files and
/// in gzip files compressed after the change; CSV rows that are very long, hold NUL bytes, huge or
/// odd numbers, stray quotes or the wrong width.
/// </summary>
public sealed partial class ReaderFuzzTests
{
    private const int StructuredCases = 500;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Idx_files_with_mutated_header_fields_read_or_fail_with_a_data_format_error(bool gzip)
    {
        byte[] pixels = [.. Enumerable.Range(0, 6 * 4 * 3).Select(i => (byte)i)];
        byte[] valid = File.ReadAllBytes(_files.WriteIdx("header.idx", 0x08, [6, 4, 3], pixels));
        var random = new Random(gzip ? 21 : 22);
        IEnumerable<byte[]> cases = Enumerable.Range(0, StructuredCases).Select(_ =>
        {
            byte[] mutated = MutateIdxHeader(valid, random);
            return gzip ? TestFiles.Gzip(mutated) : mutated;
        });
        (int succeeded, int refused) = Run(cases, path => IdxReader.ReadFeatures(path), seed: gzip ? 21 : 22);

        Assert.InRange(succeeded, 1, StructuredCases - 1);
        Assert.Equal(StructuredCases, succeeded + refused);
    }

    [Fact]
    public void Csv_files_with_mutated_rows_read_or_fail_with_a_data_format_error()
    {
        var random = new Random(23);
        (int succeeded, int refused) = Run(Enumerable.Range(0, StructuredCases).Select(_ => MutateCsv(random)), path => CsvReader.Read(path, CsvLabelColumn.Named("label")), seed: 23);

        Assert.InRange(succeeded, 1, StructuredCases - 1);
        Assert.Equal(StructuredCases, succeeded + refused);
    }

    private static byte[] MutateIdxHeader(byte[] valid, Random random)
    {
        byte[] bytes = [.. valid];
        int rank = bytes[3];
        for (int m = random.Next(1, 3); m > 0; m--)
        {
            switch (random.Next(4))
            {
                case 0:
                    bytes[2] = (byte)"\x08\x09\x0B\x0C\x0D\x0E\x00\xFF"[random.Next(8)];
                    break;
                case 1:
                    bytes[3] = (byte)random.Next(0, 6);
                    break;
                default:
                    int at = 4 + (4 * random.Next(rank));
                    uint current = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
                    uint[] choices = [0, 1, current - 1, current + 1, 65_536, 1_000_000, int.MaxValue, uint.MaxValue, (uint)random.Next()];
                    BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), choices[random.Next(choices.Length)]);
                    break;
            }
        }
        return random.Next(4) == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
    }

    private static byte[] MutateCsv(Random random)
    {
        string[] cells = ["1", "-2.5", "1e38", "1e39", "NaN", "-Infinity", "0x10", "", "\"3\"", "\"unclosed", "a\0b", "1\0", " 7 ", "1,2", "cat", "-1"];
        var csv = new StringBuilder("a,b,label\n");
        for (int row = random.Next(0, 6); row > 0; row--)
        {
            int width = random.Next(10) == 0 ? random.Next(1, 5) : 3;
            csv.AppendJoin(',', Enumerable.Range(0, width).Select(_ => random.Next(3) == 0 ? cells[random.Next(cells.Length)] : random.Next(10).ToString(CultureInfo.InvariantCulture)));
            csv.Append(random.Next(8) == 0 ? "\r\n" : "\n");
        }
        if (random.Next(10) == 0)
        {
            // A line just under or over the 1 MiB a row may have.
            csv.Append(new string('9', (1 << 20) - 4 + random.Next(8))).Append(",1,0\n");
        }
        byte[] bytes = Encoding.UTF8.GetBytes(csv.ToString());
        return random.Next(4) == 0 ? Mutator.Mutate(bytes, random) : bytes;
    }
}
