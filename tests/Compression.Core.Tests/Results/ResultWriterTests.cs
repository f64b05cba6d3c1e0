using Compression.Core.Results;

namespace Compression.Core.Tests.Results;

public class ResultWriterTests
{
    [Fact]
    public void Relative_links_in_a_stage_section_point_into_its_cache_entry()
    {
        string markdown = "![diagram](reliability.svg) and [docs](https://example.org/x) and [top](#gate) and [abs](/tmp/a.svg)";
        Assert.Equal(
            "![diagram](cache/abc/reliability.svg) and [docs](https://example.org/x) and [top](#gate) and [abs](/tmp/a.svg)",
            ResultWriter.RebaseLinks(markdown, "cache/abc/"));
    }
}
