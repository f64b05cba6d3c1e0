using System.Text.Json;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Stages;
using Compression.Core.Config;
using Compression.Core.Diagnostics;

namespace Compression.Core.Planning;

/// <summary>
/// Turns the config's <c>stages</c> into a plan: resolves each name to a registered stage, binds and
/// validates its settings, and checks that artifact kinds chain (a stage only consumes what an
/// earlier one produced). Reports every problem at once, each at its place in compression.json.
/// </summary>
public sealed class PlanBuilder(IEnumerable<IStage> stages, IServiceProvider services)
{
    private readonly Dictionary<string, IStage> _stages = stages
        .GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds the plan or throws <see cref="CompressionException"/> with all findings.</summary>
    public PipelinePlan Build(LoadedConfig loaded)
    {
        var findings = new List<Finding>();
        var locations = loaded.Locations;
        var config = loaded.Config;
        RequireSection(config.Data, "data", "the data set (\"data\": {\"format\": ..., \"train\": ..., \"test\": ...})", loaded, findings);
        if (config.Teacher is not null && config.Teachers is not null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue,
                "give \"teacher\" or \"teachers\", not both", locations.Locate("teachers")));
        }
        else if (config.Teachers is { Count: 0 })
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField,
                "\"teachers\" is empty: list at least one teacher ({\"onnx\": \"...\"} or {\"model\": {...}})", locations.Locate("teachers")));
        }
        else if (config.Teachers is null && config.Model is null)
        {
            RequireSection(config.Teacher, "teacher", "the teacher (\"teacher\": {\"onnx\": \"...\"} or {\"model\": {...}}), or the app's model to compress (\"model\": {\"onnx\": \"...\", \"input\": {...}})", loaded, findings);
        }
        // Starting from the app's model, no stage is needed: the model itself is evaluated and gated.
        if (config.Stages.Count == 0 && config.Model is null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField,
                "no stages: expected \"stages\": [{\"stage\": \"distill\", ...}, {\"stage\": \"export\"}, ...]", locations.Locate("stages")));
        }

        var planned = new List<PlannedStage>();
        var names = config.Stages.Select(s => s.Stage ?? "").ToList();
        for (int i = 0; i < config.Stages.Count; i++)
        {
            StageConfig entry = config.Stages[i];
            string path = $"stages[{i}]";
            if (string.IsNullOrWhiteSpace(entry.Stage))
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField,
                    $"'{path}' has no \"stage\": expected one of {KnownStages()}", locations.Locate(path)));
                continue;
            }
            if (!_stages.TryGetValue(entry.Stage, out IStage? stage))
            {
                string? suggestion = SettingsBinder.Suggest(entry.Stage, _stages.Keys);
                string hint = suggestion is null ? "" : $"; did you mean '{suggestion}'?";
                findings.Add(new Finding(Severity.Error, ErrorCodes.UnknownStage,
                    $"unknown stage '{entry.Stage}'{hint} Known stages: {KnownStages()} (add plugins with \"plugins\": [...])",
                    locations.LocateValue($"{path}.stage")));
                continue;
            }

            string settingsPath = $"{path}.settings";
            int before = findings.Count;
            object? settings = loaded.Binder.Bind(entry.Settings, stage.SettingsType, settingsPath, findings);
            if (settings is null || findings.Count > before)
            {
                continue;
            }
            foreach (SettingsError error in stage.Validate(settings, services))
            {
                string errorPath = JsonLocationIndex.Combine(settingsPath, error.Path);
                findings.Add(new Finding(Severity.Error, error.Code ?? ErrorCodes.InvalidValue,
                    $"'{errorPath}': {error.Message}", locations.Locate(errorPath)));
            }
            if (findings.Count > before)
            {
                continue;
            }
            bool repeated = names.Count(n => string.Equals(n, entry.Stage, StringComparison.OrdinalIgnoreCase)) > 1;
            string id = repeated ? $"{stage.Name}#{i}" : stage.Name;
            string settingsJson = JsonSerializer.Serialize(settings, stage.SettingsType, SettingsBinder.SerializerOptions);
            planned.Add(new PlannedStage(i, id, stage, settings, settingsJson));
        }

        if (findings.Count == 0)
        {
            CheckChain(planned, loaded, findings, StartingArtifacts(config));
        }
        if (findings.Count == 0)
        {
            var budget = services.GetService(typeof(IMemoryBudget)) as IMemoryBudget ?? Running.MemoryBudget.For(loaded.Config.MaxModelMemoryMb);
            Preflight.Check(loaded, planned, _stages.Values, services, budget, findings);
        }
        if (findings.Count > 0)
        {
            throw new CompressionException(findings);
        }
        return new PipelinePlan(planned);
    }

    /// <summary>What the pipeline holds before its first stage: the app's ONNX model when it starts from one.</summary>
    public static IReadOnlyList<ArtifactKind> StartingArtifacts(CompressionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Model is null ? [] : [ArtifactKind.OnnxModel];
    }

    private static void CheckChain(List<PlannedStage> planned, LoadedConfig loaded, List<Finding> findings, IReadOnlyList<ArtifactKind> starting)
    {
        var available = new HashSet<ArtifactKind>(starting);
        // Kinds an earlier stage turned into another kind (export: torch-model -> onnx-model), with that stage.
        var convertedBy = new Dictionary<ArtifactKind, (PlannedStage Stage, IReadOnlyList<ArtifactKind> Produces)>();
        foreach (PlannedStage stage in planned)
        {
            IReadOnlyList<ArtifactKind> produces = stage.Stage.ProducesFrom(available);
            foreach (ArtifactKind kind in stage.Stage.Consumes.Where(k => !available.Contains(k)))
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.PlanBroken,
                    $"stage '{stage.Stage.Name}' needs {kind.Description}",
                    loaded.Locations.LocateValue($"{stage.ConfigPath}.stage")));
            }
            // A new artifact of a kind already converted would never reach what the conversion made
            // (a 'prune' after 'export' would prune a model nobody exports).
            foreach (ArtifactKind kind in produces.Where(convertedBy.ContainsKey))
            {
                var earlier = convertedBy[kind];
                findings.Add(new Finding(Severity.Error, ErrorCodes.PlanBroken,
                    $"stage '{stage.Stage.Name}' makes a new {kind.Name} after '{earlier.Stage.Stage.Name}' ({earlier.Stage.ConfigPath}) already turned the previous one into {string.Join(", ", earlier.Produces.Select(p => p.Name))}: its result would be lost; move it before '{earlier.Stage.Stage.Name}'",
                    loaded.Locations.LocateValue($"{stage.ConfigPath}.stage")));
            }
            foreach (ArtifactKind kind in stage.Stage.Consumes.Where(k => produces.Count > 0 && !produces.Contains(k)))
            {
                convertedBy.TryAdd(kind, (stage, produces));
            }
            available.UnionWith(produces);
        }
        if (findings.Count == 0 && !available.Contains(ArtifactKind.OnnxModel))
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.PlanBroken,
                $"the pipeline makes no ONNX model to evaluate and ship: {ArtifactKind.OnnxModel.Description}",
                loaded.Locations.Locate("stages")));
        }
    }

    private static void RequireSection(object? section, string path, string expected, LoadedConfig loaded, List<Finding> findings)
    {
        if (section is null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField,
                $"missing \"{path}\": expected {expected}", new SourceLocation(loaded.FilePath, 1, 1)));
        }
    }

    private string KnownStages() => string.Join(", ", _stages.Keys.Order(StringComparer.OrdinalIgnoreCase));
}
