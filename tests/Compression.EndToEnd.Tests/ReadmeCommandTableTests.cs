using System.Text.RegularExpressions;

namespace Compression.EndToEnd.Tests;

/// <summary>The README's table of `compress` commands lists what `compress --help` does: the same commands, each with the same options.</summary>
public sealed partial class ReadmeCommandTableTests
{
    [Fact]
    public void The_README_command_table_and_compress_help_list_the_same_commands_and_options()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var table = TableRow().Matches(readme).ToDictionary(m => m.Groups[1].Value, m => OptionsIn(m.Groups[2].Value));
        Assert.NotEmpty(table);

        var root = Help();
        string commandsSection = root[(root.IndexOf("Commands:", StringComparison.Ordinal) + "Commands:".Length)..];
        var commands = HelpCommand().Matches(commandsSection).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(commands.Order(), table.Keys.Order());

        foreach (string command in commands)
        {
            string help = Help(command);
            var options = OptionsIn(help[help.IndexOf("Options:", StringComparison.Ordinal)..]).Where(o => o is not "--help").ToHashSet();
            Assert.True(options.SetEquals(table[command]),
                $"compress {command}: --help lists [{string.Join(' ', options.Order())}], the README [{string.Join(' ', table[command].Order())}]");
        }
    }

    private static string Help(params string[] command)
    {
        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, .. command, "--help"], RepoPaths.Root);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        return outcome.Output;
    }

    private static HashSet<string> OptionsIn(string text) => Option().Matches(text).Select(m => m.Value).ToHashSet();

    // | `compress run [config] [--config C] ...` | what it does |
    [GeneratedRegex(@"^\| `compress ([a-z-]+)([^`]*)` \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    // "  run <config>       Run the pipeline ..." under Commands:
    [GeneratedRegex(@"^  ([a-z-]+)(?: <[^>]+>)?\s{2,}", RegexOptions.Multiline)]
    private static partial Regex HelpCommand();

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex Option();
}
