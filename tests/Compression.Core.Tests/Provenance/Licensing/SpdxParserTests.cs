using Compression.Core.Provenance.Licensing;

namespace Compression.Core.Tests.Provenance.Licensing;

public class SpdxParserTests
{
    [Theory]
    [InlineData("MIT", "MIT")]
    [InlineData("  Apache-2.0  ", "Apache-2.0")]
    [InlineData("MIT OR Apache-2.0", "MIT OR Apache-2.0")]
    [InlineData("GPL-2.0-or-later WITH Classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0")]
    [InlineData("Apache-1.0+", "Apache-1.0+")]
    [InlineData("LicenseRef-internal-model", "LicenseRef-internal-model")]
    [InlineData("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2")]
    [InlineData("(MIT)", "MIT")]
    [InlineData("MIT AND (BSD-3-Clause OR Apache-2.0)", "MIT AND (BSD-3-Clause OR Apache-2.0)")]
    [InlineData("((MIT OR Apache-2.0) AND CC-BY-4.0)", "(MIT OR Apache-2.0) AND CC-BY-4.0")]
    public void Valid_expressions_parse_and_print_back(string text, string printed)
    {
        Assert.Equal(printed, SpdxParser.Parse(text).ToString());
    }

    [Fact]
    public void AND_binds_tighter_than_OR_and_WITH_tighter_than_AND()
    {
        var expression = SpdxParser.Parse("MIT OR GPL-2.0-only WITH Classpath-exception-2.0 AND BSD-3-Clause");

        var or = Assert.IsType<SpdxExpression.Or>(expression);
        Assert.Equal(new SpdxExpression.License("MIT", false, null, 0), or.Left);
        var and = Assert.IsType<SpdxExpression.And>(or.Right);
        var gpl = Assert.IsType<SpdxExpression.License>(and.Left);
        Assert.Equal(("GPL-2.0-only", "Classpath-exception-2.0"), (gpl.Id, gpl.Exception));
        Assert.Equal("BSD-3-Clause", Assert.IsType<SpdxExpression.License>(and.Right).Id);
    }

    [Fact]
    public void Alternatives_expand_OR_into_choices_and_AND_into_licences_that_apply_together()
    {
        var choices = SpdxParser.Parse("(MIT OR Apache-2.0) AND (CC-BY-4.0 OR CC0-1.0)").Alternatives()!;

        Assert.Equal(
            ["MIT+CC-BY-4.0", "MIT+CC0-1.0", "Apache-2.0+CC-BY-4.0", "Apache-2.0+CC0-1.0"],
            choices.Select(c => string.Join("+", c.Select(l => l.Id))));
    }

    [Fact]
    public void Alternatives_give_up_past_the_limit_instead_of_exploding()
    {
        string huge = string.Join(" AND ", Enumerable.Range(0, 12).Select(i => $"(MIT OR Apache-2.0)"));

        Assert.Null(SpdxParser.Parse(huge).Alternatives(limit: 256));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    [InlineData("MIT OR", "ends where a licence id or '(' was expected")]
    [InlineData("MIT AND AND Apache-2.0", "has 'AND' at character 9 where a licence id was expected")]
    [InlineData("(MIT OR Apache-2.0", "ends where ')' was expected")]
    [InlineData("MIT)", "has ')' at character 4 where AND, OR, WITH or the end was expected")]
    [InlineData("MIT Apache-2.0", "has 'Apache-2.0' at character 5 where AND, OR, WITH or the end was expected")]
    [InlineData("MIT or Apache-2.0", "has 'or' at character 5 where AND, OR, WITH or the end was expected")]
    [InlineData("or", "has 'or' at character 1: SPDX operators are upper case (OR)")]
    [InlineData("MIT, Apache-2.0", "has ',' at character 4")]
    [InlineData("GPL-2.0-only WITH", "ends where an exception id after WITH was expected")]
    [InlineData("GPL-2.0-only WITH (Classpath-exception-2.0)", "has '(' at character 19 where an exception id was expected after WITH")]
    [InlineData("LicenseRef-x+", "only SPDX licence ids take '+'")]
    [InlineData("LicenseRef-", "without a name after it")]
    [InlineData("Foo:LicenseRef-x", "a ':' is only allowed in DocumentRef-<id>:LicenseRef-<id>")]
    [InlineData("MIT++", "has '+' at character 5 where AND, OR, WITH or the end was expected")]
    public void Invalid_expressions_say_what_was_expected_where(string text, string message)
    {
        var error = Assert.Throws<SpdxSyntaxException>(() => SpdxParser.Parse(text));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Deep_nesting_and_overlong_text_are_refused_without_recursing_without_bound()
    {
        Assert.Contains("nests parentheses more than 64 deep", Assert.Throws<SpdxSyntaxException>(() => SpdxParser.Parse(new string('(', 100) + "MIT" + new string(')', 100))).Message);
        Assert.Contains($"at most {SpdxParser.MaxLength}", Assert.Throws<SpdxSyntaxException>(() => SpdxParser.Parse(new string('M', SpdxParser.MaxLength + 1))).Message);
    }

    [Fact]
    public void The_vendored_list_knows_current_and_deprecated_ids_case_insensitively_and_suggests_near_ones()
    {
        var list = SpdxLicenseList.Vendored;

        Assert.True(list.LicenseCount > 600, $"{list.LicenseCount} ids");
        Assert.Equal("Apache-2.0", list.Canonical("apache-2.0"));
        Assert.Null(list.Canonical("Apache2"));
        Assert.Equal("Apache-2.0", list.SuggestLicense("Apache2"));
        Assert.Equal("GPL-3.0-only", list.Canonical("GPL-3.0-ONLY"));
        Assert.True(list.IsDeprecated("GPL-2.0"));
        Assert.False(list.IsDeprecated("GPL-2.0-only"));
        Assert.Equal("Classpath-exception-2.0", list.CanonicalException("classpath-exception-2.0"));
        Assert.Contains("spdx-license-ids", list.Source);
    }
}
