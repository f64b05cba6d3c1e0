namespace Compression.Build.Tests;

public class OutputLineTests
{
    [Fact]
    public void A_canonical_error_carries_file_line_column_and_code()
    {
        Assert.True(OutputLine.TryParseFinding(
            "/app/compression.json(12,5): error CMP3001: accuracy retention 0.962 is below the budget 0.98", out var finding));
        Assert.Equal(new OutputLine.Finding(true, "CMP3001", "/app/compression.json", 12, 5, "accuracy retention 0.962 is below the budget 0.98"), finding);
    }

    [Fact]
    public void A_warning_without_a_position_keeps_its_file()
    {
        Assert.True(OutputLine.TryParseFinding("/data/train.gz: warning CMP2001: odd", out var finding));
        Assert.False(finding.IsError);
        Assert.Equal(("/data/train.gz", 0, 0), (finding.File, finding.Line, finding.Column));
    }

    [Fact]
    public void A_finding_from_compress_itself_has_no_file()
    {
        Assert.True(OutputLine.TryParseFinding("compress: error CMP9004: internal error: boom", out var finding));
        Assert.Null(finding.File);
        Assert.Equal("CMP9004", finding.Code);
    }

    [Theory]
    [InlineData("compress: distill epoch 3/10 loss 0.41")]
    [InlineData("error CS1002: ; expected")]
    [InlineData("/x.cs(1,1): error CS1002: ; expected")]
    public void Other_lines_are_not_findings(string line)
    {
        Assert.False(OutputLine.TryParseFinding(line, out _));
    }

    [Fact]
    public void Progress_lines_are_recognised_by_their_prefix()
    {
        Assert.True(OutputLine.IsProgress("compress: export: running"));
        Assert.False(OutputLine.IsProgress("metric  teacher  student"));
    }
}
