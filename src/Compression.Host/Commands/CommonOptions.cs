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

    /// <summary>
    /// Extra plugin assemblies (or folders of them), beside the config's <c>plugins</c>: what a
    /// PackageReference to a plugin package passes through the <c>CompressionPlugin</c> item.
    /// </summary>
    public static Option<string[]> Plugins() => new("--plugin") { Description = "A plugin assembly (or a folder holding <name>.dll) to load beside the config's plugins; repeatable", AllowMultipleArgumentsPerToken = false };

    public static Option<bool> Verbose() => new("--verbose") { Description = "Log details to stderr" };

    public static string ResolveConfig(ParseResult result, Argument<string?> argument, Option<string?> option) =>
        Path.GetFullPath(result.GetValue(option) ?? result.GetValue(argument) ?? "compression.json");
}
