using System.Text.RegularExpressions;
using Compression.Tests.Shared;

namespace Compression.Core.Tests.Conventions;

/// <summary>Namespaces match folders in src/ and plugins/, so a type's namespace says where its file is (and the SDK's namespaces are its folders).</summary>
public partial class NamespaceTests
{
    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();

    [Fact]
    public void Every_namespace_is_its_project_and_folder()
    {
        var mismatches = new List<string>();
        foreach (string root in new[] { "src", "plugins" })
        {
            string top = Path.Combine(RepoRoot.Path, root);
            foreach (string file in Directory.EnumerateFiles(top, "*.cs", SearchOption.AllDirectories))
            {
                string[] parts = Path.GetRelativePath(top, file).Split(Path.DirectorySeparatorChar);
                if (parts.Contains("obj") || parts.Contains("bin") || FileScopedNamespace().Match(File.ReadAllText(file)) is not { Success: true } match)
                {
                    continue;
                }
                string expected = string.Join('.', parts[..^1]);
                if (match.Groups[1].Value != expected)
                {
                    mismatches.Add($"{Path.GetRelativePath(RepoRoot.Path, file)}: namespace {match.Groups[1].Value}, folder says {expected}");
                }
            }
        }
        Assert.Empty(mismatches);
    }
}
