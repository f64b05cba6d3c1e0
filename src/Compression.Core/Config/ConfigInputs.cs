using Compression.Data.Formats;

namespace Compression.Core.Config;

/// <summary>
/// Every file a run reads because the config names it: the config, the data files (train, test and
/// transfer), teacher ONNX files (and the app's model) with the external-data files they name, the baseline and its model, and plugin assemblies. The MSBuild target uses the list (inputs.txt
/// in the work folder) as its Inputs, so editing any of them re-runs the pipeline and nothing else does.
/// A data folder (a format's folder key, e.g. the images format's <c>path</c>) is listed by its files
/// (<see cref="DataFormat.FolderFiles"/>), never by the folder itself: MSBuild takes a folder among
/// Inputs for a missing file and would re-run every build.
/// </summary>
public static class ConfigInputs
{
    /// <summary>The files, with the built-in data formats only.</summary>
    public static IReadOnlyList<string> Files(LoadedConfig loaded) => Files(loaded, DataFormatRegistry.BuiltIn);

    /// <summary>The files; <paramref name="formats"/> says which data keys name folders.</summary>
    public static IReadOnlyList<string> Files(LoadedConfig loaded, DataFormatRegistry formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        var files = new List<string> { loaded.FilePath };
        void Add(string? path)
        {
            if (path is not null)
            {
                files.Add(loaded.Resolve(path));
            }
        }
        var config = loaded.Config;
        DataFormat? format = config.Data is null ? null : formats.Find(config.Data.Format);
        void AddData(string key, string? path)
        {
            if (path is not null && format is not null && format.IsFolderKey(key))
            {
                string folder = loaded.Resolve(path);
                if (Directory.Exists(folder))
                {
                    files.AddRange(format.FolderFiles(folder).Select(file => Path.Combine(folder, file)));
                }
                return;
            }
            Add(path);
        }
        foreach (DataFilesConfig? split in new[] { config.Data?.Train, config.Data?.Test })
        {
            AddData("features", split?.Features);
            AddData("labels", split?.Labels);
            AddData("path", split?.Path);
        }
        AddData("features", config.Data?.Transfer?.Features);
        AddData("path", config.Data?.Transfer?.Path);
        foreach (TeacherConfig teacher in Teacher.TeacherPreflight.Entries(config).Select(e => e.Config))
        {
            Add(teacher.Onnx);
            Add(teacher.Preprocess);
            // A user's sentence encoder: its graph and vocabulary (MiniLM comes from a restored package, pinned by hash).
            if (teacher.SentenceEncoder is { ValueKind: System.Text.Json.JsonValueKind.Object } encoder)
            {
                foreach (string key in new[] { "onnx", "vocab" })
                {
                    Add(encoder.TryGetProperty(key, out System.Text.Json.JsonElement value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null);
                }
            }
            if (teacher.Onnx is not null && File.Exists(loaded.Resolve(teacher.Onnx)))
            {
                files.AddRange(Teacher.TeacherHash.ExternalFiles(loaded.Resolve(teacher.Onnx)));
            }
        }
        if (config.Baseline is not null)
        {
            Add(config.Baseline.Path);
            // The model a baseline keeps beside it (the latency gate times it), when there is one.
            string model = Gate.Baseline.ModelPathFor(loaded.Resolve(config.Baseline.Path));
            if (File.Exists(model))
            {
                files.Add(model);
            }
        }
        foreach (string plugin in config.Plugins.Select(loaded.Resolve))
        {
            if (Directory.Exists(plugin))
            {
                files.AddRange(Directory.EnumerateFiles(plugin, "*.dll", SearchOption.AllDirectories));
            }
            else
            {
                files.Add(plugin);
            }
        }
        return files.Distinct(StringComparer.Ordinal).ToList();
    }
}
