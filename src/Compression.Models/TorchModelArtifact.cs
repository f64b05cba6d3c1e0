using Compression.Abstractions.Artifacts;
using System.Text.Json;
using Compression.Models.Spec;

namespace Compression.Models;

/// <summary>
/// A trained model on disk, as the torch-model artifact: a folder with <c>model.json</c> (the spec)
/// and <c>weights.dat</c> (TorchSharp's state format). Both written to temp names, then renamed.
/// </summary>
public static class TorchModelArtifact
{
    public const string SpecFile = "model.json";
    public const string WeightsFile = "weights.dat";

    public static void Save(SequentialModel model, string directory)
    {
        Directory.CreateDirectory(directory);
        string spec = Path.Combine(directory, SpecFile);
        string weights = Path.Combine(directory, WeightsFile);
        AtomicFile.WriteAllText(spec, model.Spec.ToJson());
        AtomicFile.Write(weights, temporary => model.save(temporary));
    }

    public static SequentialModel Load(string directory)
    {
        string specPath = Path.Combine(directory, SpecFile);
        using var document = JsonDocument.Parse(File.ReadAllText(specPath));
        var spec = ModelSpec.Parse(document.RootElement, specPath);
        var model = ModelFactory.Create(spec, seed: 0);
        model.load(Path.Combine(directory, WeightsFile));
        model.eval();
        return model;
    }
}
