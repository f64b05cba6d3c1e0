using Compression.Models.GraphPruning;
using Compression.Models.Pruning;
using Compression.Models.Tests.Import;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Onnx.Tests;
using Xunit.Abstractions;

namespace Compression.Models.Tests.GraphPruning;

/// <summary>A real ImageNet network (no fine-tuning here: too slow for a unit test): ResNet-18 pruned to at most 60% of its multiply-adds.</summary>
public class ResNet18PruningTests(ITestOutputHelper output)
{
    [Fact]
    public void ResNet18_pruned_to_60_percent_of_its_FLOPs_is_valid_and_runs_in_ONNX_Runtime()
    {
        ModelProto model = OnnxModelFile.Read(ResNet18Model.Path);
        GraphChannels channels = GraphChannels.Of(model, []);
        long before = OnnxFlops.Count(model)!.Value;

        var scores = GraphImportance.Scores(model, channels, ImportanceCriterion.L1, null);
        var kept = GraphChannelAllocator.Allocate(model, channels, scores, new PruningTarget("flops", 0.6, before, new Dictionary<int, int>()) { RoundTo = 8 });
        ModelProto pruned = GraphPruner.Prune(model, channels, kept);

        long after = OnnxFlops.Count(pruned)!.Value;
        GraphChannelGroup[] prunable = [.. channels.Groups.Where(g => g.Prunable)];
        output.WriteLine($"ResNet-18: {channels.Groups.Count} groups, {prunable.Length} prunable ({string.Join(", ", prunable.Select(g => $"{g.Channels}->{(kept.TryGetValue(g.Id, out int[]? k) ? k.Length : g.Channels)}"))}); multiply-adds {before:N0} -> {after:N0} ({(double)after / before:0.000}); parameters {OnnxModelInfo.CountParameters(model):N0} -> {OnnxModelInfo.CountParameters(pruned):N0}");
        foreach (GraphChannelGroup g in channels.Groups)
        {
            output.WriteLine($"group {g.Id}: {g.Channels} [{string.Join(", ", g.Producers)}] {g.FixedReason}");
        }
        Assert.InRange(after, before / 10, (long)(0.6 * before));
        // Four residual streams (one per stage, joined by their Adds; the last is fixed by the graph output)
        // and the inner channels of each basic block: this CNTK export has 22 convolutions, 9 blocks.
        Assert.Equal(3 + 9, prunable.Length);
        GraphChannelGroup last = channels.Groups.Single(g => g.Channels == 512 && g.Producers.Count > 1);
        Assert.Contains("graph output", last.FixedReason);
        Assert.All(kept.Values, k => Assert.Equal(0, k.Length % 8));

        string path = Path.Combine(Path.GetTempPath(), $"resnet18-pruned-{Guid.NewGuid():N}.onnx");
        try
        {
            // The CNTK file is IR 3, which wants initializers listed as graph inputs and does not list them
            // (onnx.checker rejects the source for that alone); IR 4 drops the rule, so the full check
            // (strict shape inference through every sliced tensor) can judge the edit itself.
            pruned.IrVersion = 4;
            OnnxModelFile.Write(pruned, path);
            OnnxChecker.AssertValid(path);
            var random = new Random(18);
            float[] image = [.. Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)(random.NextDouble() * 255))];
            using var session = new OnnxInferenceSession(path, intraOpThreads: 1);
            float[] features = session.Run(image, 1);
            Assert.Equal(512, features.Length);
            Assert.All(features, f => Assert.True(float.IsFinite(f)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
