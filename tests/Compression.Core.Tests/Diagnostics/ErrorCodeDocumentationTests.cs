using System.Reflection;
using System.Text.RegularExpressions;
using Compression.Core.Diagnostics;
using Compression.Tests.Shared;

namespace Compression.Core.Tests.Diagnostics;

/// <summary>
/// docs/error-codes.md and the code agree: every code the tool can report (an <see cref="ErrorCodes"/>
/// constant, or a literal in src/, plugins/ or build/, such as a plugin's stage warning or the MSBuild
/// task's own errors) has a row, and every row is a code something reports.
/// </summary>
public partial class ErrorCodeDocumentationTests
{
    [GeneratedRegex(@"^\| (CMP\d{4}) \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedRow();

    [GeneratedRegex(@"""(CMP\d{4})""")]
    private static partial Regex CodeLiteral();

    private static SortedSet<string> Documented() =>
        [.. DocumentedRow().Matches(File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "error-codes.md"))).Select(m => m.Groups[1].Value)];

    private static SortedSet<string> Reported()
    {
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string folder in new[] { "src", "plugins", "build" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, folder), "*.*", SearchOption.AllDirectories)
                .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".targets", StringComparison.Ordinal))
                    && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                codes.UnionWith(CodeLiteral().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value));
            }
        }
        return codes;
    }

    [Fact]
    public void Every_error_code_constant_has_a_row_in_the_documentation()
    {
        var constants = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);

        Assert.Empty(constants.Except(Documented()));
    }

    [Fact]
    public void The_documented_codes_are_exactly_the_codes_the_source_reports()
    {
        SortedSet<string> reported = Reported();
        SortedSet<string> documented = Documented();

        Assert.Empty(reported.Except(documented)); // reported but undocumented
        Assert.Empty(documented.Except(reported)); // documented but never reported
    }
}
