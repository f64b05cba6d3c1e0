namespace Compression.Core.Config;

/// <summary>
/// Every file a run reads because the config names it: the config, the data files (train, test and
/// transfer), teacher ONNX files (and the app's model) with the external-data files they name, the baseline and its model, and plugin assemblies. The MSBuild target uses the list (inputs.txt
/// in the work folder) as its Inputs, so editing any of them re-runs the pipeline and nothing else does.
/// </summary>
public static class ConfigInputs
{
    public static IReadOnlyList<string> Files(LoadedConfig loaded)
    {
        var files = new List<string> { loaded.FilePath };
        void Add(string? path)
        {
            if (path is not null)
            {
                files.Add(loaded.Resolve(path));
            }
        }
        var config = loaded.Config;
        Add(config.Data?.Train?.Features);
        Add(config.Data?.Train?.Labels);
        Add(config.Data?.Train?.Path);
        Add(config.Data?.Test?.Features);
        Add(config.Data?.Test?.Labels);
        Add(config.Data?.Test?.Path);
        Add(config.Data?.Transfer?.Features);
        Add(config.Data?.Transfer?.Path);
        foreach (TeacherConfig teacher in Teacher.TeacherPreflight.Entries(config).Select(e => e.Config))
        {
            Add(teacher.Onnx);
            Add(teacher.Preprocess);
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
