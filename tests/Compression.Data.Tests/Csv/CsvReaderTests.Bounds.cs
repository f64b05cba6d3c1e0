using System.Text;
using Compression.Data.Csv;

namespace Compression.Data.Tests.Csv;

/// <summary>Issue 12: a CSV file is refused at its first over-long line, before more of it is read or decoded.</summary>
public sealed partial class CsvReaderTests
{
    [Fact]
    public void A_gzip_bomb_without_line_breaks_is_refused_at_line_two_after_about_a_megabyte()
    {
        // A header, then 256 MiB of zeros as 256 gzip members of 1 MiB each (about 260 KB on disk).
        string path = _files.WriteGzipBomb("bomb.csv.gz", Encoding.UTF8.GetBytes("x,label\n"), megabytes: 256);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(path, CsvLabelColumn.Named("label")));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("bomb.csv.gz:2: a line longer than the 1,048,576 bytes a CSV row may have (is this a CSV file?)", error.Message);
        Assert.Equal(2, error.Line);
        Assert.True(allocated < 16L << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_row_exactly_as_long_as_a_row_may_be_is_read()
    {
        string row = new string('0', (1 << 20) - 2) + ",1";
        string path = _files.WriteText("wide.csv", "x,label\n0,0\n" + row + "\n");

        CsvData data = CsvReader.Read(path, CsvLabelColumn.Named("label"));

        Assert.Equal([0f, 0f], data.Features);
        Assert.Equal([0, 1], data.Labels);
    }

    [Fact]
    public void A_last_line_without_a_line_break_is_checked_too()
    {
        string path = _files.WriteText("tail.csv", "x,label\n0,0\n" + new string('1', (1 << 20) + 1));

        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(path, CsvLabelColumn.Named("label")));

        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void A_nul_byte_in_a_field_is_refused_at_its_line_and_column_though_dotnet_would_parse_the_number()
    {
        string path = _files.WriteText("nul.csv", "x,y,label\n1,2\0,0\n");

        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(path, CsvLabelColumn.Named("label")));

        Assert.Equal((2, 2), (error.Line, error.Column));
        Assert.Equal("nul.csv:2, column 2: expected text, found a NUL character (\\0) at character 4 (is this a CSV file?)", error.Message);
    }
}
