using System.Reflection;
using Compression.Abstractions.Metrics;
using Compression.Core.Cache;
using Compression.Core.Config;
using Compression.Core.Planning;
using Compression.Core.Provenance.Licensing;
using Compression.Core.Teacher;
using Compression.Data.Loading;

namespace Compression.Core.Provenance;

/// <summary>Gathers a run's <see cref="ProvenanceRecord"/>: hashes every input file and the code that ran.</summary>
public static class ProvenanceCollector
{
    /// <summary>The tool's version: Compression.Core's informational version.</summary>
    public static string ToolVersion { get; } =
        typeof(ProvenanceCollector).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ProvenanceCollector).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static ProvenanceRecord Collect(
        LoadedConfig loaded, IReadOnlyList<PlannedStage> planned, IReadOnlyList<LineageStep> lineage, TeacherSet teachers,
        LoadedDataSet data, IReadOnlyList<LicensedInput> licences, IReadOnlyList<Metric> metrics, bool shipped)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(teachers);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(licences);
        var config = new HashedFile("compression.json", loaded.FilePath, ContentHash.OfFile(loaded.FilePath));
        return new ProvenanceRecord(
            ToolVersion, Tool(), config,
            Teachers(loaded, teachers, licences),
            DataSets(loaded, data, licences),
            Plugins(loaded, planned),
            lineage,
            Describe(planned, data, shipped),
            metrics);
    }

    /// <summary>The host assembly (compress.dll) when it is the process, else Compression.Core (tests).</summary>
    private static HashedFile Tool()
    {
        Assembly tool = Assembly.GetEntryAssembly() is { } entry && entry.GetName().Name is "compress" or "compress-runtime" && !string.IsNullOrEmpty(entry.Location)
            ? entry
            : typeof(ProvenanceCollector).Assembly;
        return new HashedFile("tool", tool.Location, ContentHash.OfFile(tool.Location));
    }

    private static List<TeacherIdentity> Teachers(LoadedConfig loaded, TeacherSet teachers, IReadOnlyList<LicensedInput> licences)
    {
        var entries = TeacherPreflight.Entries(loaded.Config);
        var teacherLicences = licences.Where(l => l.Kind == "teacher").ToList();
        var result = new List<TeacherIdentity>();
        for (int i = 0; i < teachers.Teachers.Count; i++)
        {
            CachedTeacher teacher = teachers.Teachers[i];
            TeacherConfig? entry = i < entries.Count ? entries[i].Config : null;
            HashedFile source = teacher.SentenceEncoder is { } encoder
                // The encoder's graph as used (MiniLM's extracted copy), with its vocabulary in the hash.
                ? new HashedFile("teacher", encoder.ModelPath, teacher.ContentHash)
                : entry?.Onnx is string onnx
                // The resolver's hash: the file with its external-data files (computed once per run).
                ? new HashedFile(entries[i].Path == "model" ? TeacherIdentity.AppModelRole : "teacher", loaded.Resolve(onnx), teacher.ContentHash)
                : new HashedFile("teacher.model", $"{loaded.FilePath}#{(i < entries.Count ? entries[i].Path : "teacher")}.model",
                    ContentHash.OfText(entry?.Model?.GetRawText() ?? ""));
            LicensedInput licence = i < teacherLicences.Count
                ? teacherLicences[i]
                : new LicensedInput("teacher", teacher.Name, "teacher", null, LicenseSource.None, null, []);
            result.Add(new TeacherIdentity(teacher.Name, source, ContentHash.OfFile(teacher.OnnxPath), teacher.ParameterCount, licence));
        }
        return result;
    }

    private static List<DataSetIdentity> DataSets(LoadedConfig loaded, LoadedDataSet data, IReadOnlyList<LicensedInput> licences)
    {
        DataConfig? config = loaded.Config.Data;
        var result = new List<DataSetIdentity>();
        if (config is null)
        {
            return result;
        }
        // The loader hashed the data files already; the digests are reused, not computed again. A data
        // folder (the images format's path) is recorded by its digest over its files' relative paths and SHA-256s.
        HashedFile? Hash(string role, string? path) => path is null ? null : new HashedFile(role, loaded.Resolve(path), data.Digests.Of(loaded.Resolve(path)));
        foreach (var (split, files, samples) in new[]
        {
            ("train", config.Train, data.Splits.Train.Count + data.Splits.Validation.Count),
            ("test", config.Test, data.Splits.Test.Count),
            ("transfer", config.Transfer, -1),
        })
        {
            if (files is null)
            {
                continue;
            }
            var hashed = new[] { Hash($"{split}.features", files.Features), Hash($"{split}.labels", files.Labels), Hash($"{split}.path", files.Path) }
                .OfType<HashedFile>().ToList();
            result.Add(new DataSetIdentity(split, hashed, samples, licences.FirstOrDefault(l => l.Kind == "data" && l.Name == split)));
        }
        return result;
    }

    /// <summary>
    /// Every stage's plugin assembly and the non-framework assemblies it uses, and every assembly the
    /// config's <c>plugins</c> names (a plugin may bring a distillation method rather than a stage), each once.
    /// </summary>
    private static List<PluginAssembly> Plugins(LoadedConfig loaded, IReadOnlyList<PlannedStage> planned)
    {
        var byPath = new SortedDictionary<string, PluginAssembly>(StringComparer.Ordinal);
        foreach (string plugin in loaded.Config.Plugins.Select(loaded.Resolve))
        {
            IEnumerable<string> files = Directory.Exists(plugin) ? Directory.EnumerateFiles(plugin, "*.dll", SearchOption.AllDirectories) : File.Exists(plugin) ? [plugin] : [];
            foreach (string file in files)
            {
                try
                {
                    byPath.TryAdd(Path.GetFullPath(file), Describe(Path.GetFullPath(file), AssemblyName.GetAssemblyName(file)));
                }
                catch (BadImageFormatException)
                {
                    // A native library beside the plugin: not an assembly, and no code of ours loads it by name.
                }
            }
        }
        foreach (Assembly assembly in planned.Select(p => p.Stage.GetType().Assembly).Distinct())
        {
            if (string.IsNullOrEmpty(assembly.Location))
            {
                continue;
            }
            byPath.TryAdd(assembly.Location, Describe(assembly.Location, assembly.GetName()));
            foreach (string dependency in ContentHash.PrivateDependencies(assembly))
            {
                if (!byPath.ContainsKey(dependency))
                {
                    byPath[dependency] = Describe(dependency, AssemblyName.GetAssemblyName(dependency));
                }
            }
        }
        return byPath.Values.ToList();
    }

    private static PluginAssembly Describe(string path, AssemblyName name) =>
        new(name.Name ?? Path.GetFileNameWithoutExtension(path), name.Version?.ToString() ?? "0.0.0.0", path, ContentHash.OfFile(path));

    private static ModelDescription Describe(IReadOnlyList<PlannedStage> planned, LoadedDataSet data, bool shipped)
    {
        var spec = planned.Where(p => p.Stage.Name == "distill").Select(p => ModelDescription.FromStudentSpec(p.SettingsJson)).LastOrDefault(s => s is not null);
        string input = shipped
            ? $"float32 [batch, {string.Join(", ", data.Splits.Train.SampleShape)}]: {data.Normalization.Describe()}"
            : $"float32 [batch, {string.Join(", ", data.Splits.Train.SampleShape)}], normalised as the pipeline's loader does ({data.Normalization.Kind})";
        return new ModelDescription(
            spec?.Architecture ?? "unknown",
            spec?.Family ?? "unknown",
            data.Splits.Transfer.Count > 0 ? "semi-supervised" : "supervised",
            input,
            $"float32 [batch, {data.Splits.ClassCount}]: one logit per class");
    }
}
