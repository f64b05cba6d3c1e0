using System.Text.RegularExpressions;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Gate;
using Compression.Core.Targets;

namespace Compression.Core.Planning;

/// <summary>
/// Checks <c>targets</c> and <c>budgets.targets</c> before anything runs: names (unique, usable in a
/// metric's name, not the start of another metric's), each kind's own fields, values the runner
/// takes, files that exist, and budgets that name a declared target at a batch size it measures.
/// </summary>
internal static partial class TargetsPreflight
{
    public static readonly string[] Kinds = ["local", "ssh", "command"];
    private static readonly string[] s_optimizationLevels = ["disabled", "basic", "extended", "all"];

    public static void Check(LoadedConfig loaded, MetricCatalog catalog, List<Finding> findings)
    {
        JsonLocationIndex at = loaded.Locations;
        var targets = loaded.Config.Targets;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // A target called "student" would make "student.latency..." ambiguous.
        var roots = catalog.Names.Select(n => n.Split('.')[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < targets.Count; i++)
        {
            TargetConfig target = targets[i];
            string path = $"targets[{i}]";
            void Error(string code, string field, string message) => findings.Add(new Finding(Severity.Error, code, $"'{path}.{field}': {message}", at.LocateValue($"{path}.{field}")));
            if (string.IsNullOrEmpty(target.Name))
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField, $"'{path}' has no \"name\": expected a name such as \"edge\" (its metrics and budgets.targets use it)", at.Locate(path)));
            }
            else if (!NamePattern().IsMatch(target.Name))
            {
                Error(ErrorCodes.InvalidValue, "name", $"expected letters, digits, '-' and '_', starting with a letter, got \"{target.Name}\"");
            }
            else if (!seen.Add(target.Name))
            {
                Error(ErrorCodes.InvalidValue, "name", $"another target is already called \"{target.Name}\": names must differ (case-insensitively)");
            }
            else if (roots.Contains(target.Name))
            {
                Error(ErrorCodes.InvalidValue, "name", $"\"{target.Name}\" begins other metrics' names ({target.Name}.*): choose another name");
            }
            if (!Kinds.Contains(target.Kind))
            {
                Error(ErrorCodes.InvalidValue, "kind", $"expected one of {string.Join(", ", Kinds)}, got \"{target.Kind}\"");
            }
            if (target.Kind == "ssh" && string.IsNullOrWhiteSpace(target.Host))
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField, $"'{path}' is an ssh target with no \"host\": expected the device's host name, address or ~/.ssh/config alias", at.Locate(path)));
            }
            if (target.Kind == "command" && (target.Command is not { Count: > 0 } command || string.IsNullOrWhiteSpace(command[0])))
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField, $"'{path}' is a command target with no \"command\": expected [\"program\", \"arg\", ...] that speaks the runner protocol", at.Locate(path)));
            }
            foreach (var (field, value) in new[] { ("host", target.Host), ("user", target.User), ("identityFile", target.IdentityFile), ("knownHostsFile", target.KnownHostsFile), ("remoteDirectory", target.RemoteDirectory) })
            {
                if (value is not null && target.Kind != "ssh")
                {
                    Error(ErrorCodes.InvalidValue, field, $"only an ssh target takes \"{field}\"; this one is \"{target.Kind}\"");
                }
                else if (value is not null && (value.Length == 0 || value.StartsWith('-') && field is "host" or "user"))
                {
                    Error(ErrorCodes.InvalidValue, field, $"expected a {field} (not empty, not starting with '-'), got \"{value}\"");
                }
            }
            if (target.Command is not null && target.Kind != "command")
            {
                Error(ErrorCodes.InvalidValue, "command", $"only a command target takes \"command\"; this one is \"{target.Kind}\"");
            }
            foreach (var (field, file) in new[] { ("identityFile", target.IdentityFile), ("knownHostsFile", target.KnownHostsFile) })
            {
                if (target.Kind == "ssh" && file is { Length: > 0 } && SshOptions.Resolve(file, loaded.Directory) is var resolved && !File.Exists(resolved))
                {
                    Error(ErrorCodes.DataNotFound, field, $"no file at {resolved}");
                }
            }
            if (target.Rid is string rid && !RuntimeIdentifiers.Supported.Contains(rid))
            {
                Error(ErrorCodes.InvalidValue, "rid", $"expected {string.Join(" or ", RuntimeIdentifiers.Supported)}, got \"{rid}\"");
            }
            if (!s_optimizationLevels.Contains(target.GraphOptimization))
            {
                Error(ErrorCodes.InvalidValue, "graphOptimization", $"expected one of {string.Join(", ", s_optimizationLevels)}, got \"{target.GraphOptimization}\"");
            }
            if (string.IsNullOrWhiteSpace(target.ExecutionProvider) || target.ExecutionProvider.StartsWith('-'))
            {
                Error(ErrorCodes.InvalidValue, "executionProvider", $"expected \"cpu\" or an ONNX Runtime execution provider's name, got \"{target.ExecutionProvider}\"");
            }
            if (target.BatchSizes.Length == 0)
            {
                Error(ErrorCodes.InvalidValue, "batchSizes", "must list at least one batch size, e.g. [1, 64]");
            }
            for (int b = 0; b < target.BatchSizes.Length; b++)
            {
                if (target.BatchSizes[b] is < 1 or > 65_536)
                {
                    Error(ErrorCodes.InvalidValue, $"batchSizes[{b}]", $"must be between 1 and 65536, got {target.BatchSizes[b]}");
                }
            }
        }
        CheckBudgets(loaded, findings);
    }

    private static void CheckBudgets(LoadedConfig loaded, List<Finding> findings)
    {
        foreach (var (name, budgets) in loaded.Config.Budgets.Targets ?? [])
        {
            string path = $"budgets.targets.{name}";
            TargetConfig? target = loaded.Config.Targets.FirstOrDefault(t => t.Name == name);
            if (target is null)
            {
                string declared = loaded.Config.Targets.Count == 0 ? "none is declared" : $"declared: {string.Join(", ", loaded.Config.Targets.Select(t => t.Name))}";
                findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue, $"'{path}': no target is called \"{name}\" ({declared}); budgets.targets is keyed by the names in \"targets\"", loaded.Locations.Locate(path)));
                continue;
            }
            foreach (var (field, batch, used) in new[]
            {
                ("latencyBatchSize", budgets.LatencyBatchSize, budgets.MaxP95LatencyMs is not null || budgets.MaxP50LatencyMs is not null),
                ("speedupBatchSize", budgets.SpeedupBatchSize, budgets.MinSpeedup is not null),
            })
            {
                if (used && !target.BatchSizes.Contains(batch))
                {
                    findings.Add(new Finding(Severity.Error, ErrorCodes.BudgetNeedsMetric,
                        $"'{path}': the budget refers to batch {batch} ({field}), which target '{name}' does not measure (batchSizes [{string.Join(", ", target.BatchSizes)}])",
                        loaded.Locations.Locate(path)));
                }
            }
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();
}
