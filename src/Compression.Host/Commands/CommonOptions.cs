using System.CommandLine;

namespace Compression.Host.Commands;

/// <summary>Arguments shared by the commands that take a config.</summary>
public static class CommonOptions
{
    public static Argument<string?> ConfigArgument() => new("config")
    {
        Description = "Path of compression.json (default: ./compression.json)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Option<string?> ConfigOption() => new("--config") { Description = "Path of compression.json (same as the argument)" };

    public static Option<bool> Verbose() => new("--verbose") { Description = "Log details to stderr" };

    public static string ResolveConfig(ParseResult result, Argument<string?> argument, Option<string?> option) =>
        Path.GetFullPath(result.GetValue(option) ?? result.GetValue(argument) ?? "compression.json");
}
