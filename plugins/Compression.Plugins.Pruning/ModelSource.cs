using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Models.Spec;
using Compression.Models;

namespace Compression.Plugins.Pruning;

/// <summary>
/// The model a prune stage works on: the torch model of the stage before it (a distilled student),
/// or, when prune comes first, the teacher the pipeline trained from its spec (which stays the
/// teacher that fine-tuning learns from).
/// </summary>
internal static class ModelSource
{
    /// <summary>Whether prune works on an ONNX graph: an ONNX model is there (the app's, at the start) and no torch model.</summary>
    public static bool IsGraph(IReadOnlySet<ArtifactKind> available) =>
        available.Contains(ArtifactKind.OnnxModel) && !available.Contains(ArtifactKind.TorchModel);

    public static (SequentialModel Model, string Description) Load(StageContext context)
    {
        if (context.Inputs.TryGetValue(ArtifactKind.TorchModel, out Artifact? input))
        {
            return (TorchModelArtifact.Load(input.Path), "the student of the stage before");
        }
        if (context.Teacher.TorchModelPath is string teacher && Directory.Exists(teacher))
        {
            return (TorchModelArtifact.Load(teacher), $"the teacher '{context.Teacher.Name}' (trained from its spec)");
        }
        throw new StageException(
            $"'prune' has no model to prune: as the first stage it prunes the teacher, which must then be given as a spec (\"teacher\": {{\"model\": {{...}}}}); the teacher '{context.Teacher.Name}' is an ONNX file ({Path.GetFileName(context.Teacher.OnnxPath)}), which cannot be pruned here. Put a 'distill' stage before 'prune' to prune its student instead, or give the ONNX file as the app's model (\"model\": {{\"onnx\": ..., \"input\": {{...}}}}) to prune its graph");
    }

    /// <summary>Checks the model takes the data's samples and gives one score per class.</summary>
    public static void CheckFits(ModelSpec spec, DataSplits data)
    {
        if (!spec.Input.SequenceEqual(data.Train.SampleShape))
        {
            throw new StageException($"the model to prune takes [{string.Join(", ", spec.Input)}] but samples have shape [{string.Join(", ", data.Train.SampleShape)}]");
        }
        int[] output = spec.OutputShape();
        if (output.Length != 1 || output[0] != data.ClassCount)
        {
            throw new StageException($"the model to prune gives [{string.Join(", ", output)}] but the data has {data.ClassCount} classes");
        }
    }
}
