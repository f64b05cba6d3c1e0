using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Compression.Models.Export;
using Compression.Models.Pruning;
using Compression.Models.Spec;
using Compression.Models.Training;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Spec;

/// <summary>
/// Pins what a spec using every built-in layer kind gives (canonical JSON, seeded weights, exported ONNX
/// bytes, costs, channel groups, the pruned spec and its export). The expected values were computed on
/// the code before layer kinds became registered types (issue 17), so the refactor provably changes no
/// digit: same module creation order, same bytes. A change here is a change in results users see.
/// </summary>
public class BuiltInLayersPinTests
{
    /// <summary>Every built-in kind: conv2d + batchnorm (folded), depthwise and grouped convs, both pools, a
    /// residual with a strided conv projection, one with an identity and one with a linear projection.</summary>
    private const string Json = """
        {"input":[3,8,8],"layers":[
          {"type":"conv2d","out":8,"kernel":3,"padding":1,"name":"stem"},
          {"type":"batchnorm","name":"stem_bn"},
          {"type":"relu"},
          {"type":"residual","name":"down","layers":[
            {"type":"conv2d","out":8,"kernel":3,"stride":2,"padding":1,"groups":8},
            {"type":"relu6"},
            {"type":"conv2d","out":16,"kernel":1},
            {"type":"batchnorm"},
            {"type":"hardswish","name":"down_act"}]},
          {"type":"maxpool2d","kernel":2},
          {"type":"conv2d","out":8,"kernel":1,"groups":2,"bias":false},
          {"type":"avgpool2d","kernel":2,"stride":1},
          {"type":"globalavgpool"},
          {"type":"flatten"},
          {"type":"batchnorm"},
          {"type":"linear","out":12,"name":"hidden"},
          {"type":"silu"},
          {"type":"dropout","p":0.25},
          {"type":"residual","layers":[{"type":"linear","out":12},{"type":"gelu"}]},
          {"type":"residual","layers":[{"type":"linear","out":6,"bias":false}]},
          {"type":"linear","out":3}]}
        """;

    private const string ExpectedCanonicalJson =
        """
        {"input":[3,8,8],"layers":[{"type":"conv2d","name":"stem","out":8,"kernel":3,"stride":1,"padding":1,"groups":1,"bias":true},{"type":"batchnorm","name":"stem_bn"},{"type":"relu"},{"type":"residual","name":"down","layers":[{"type":"conv2d","out":8,"kernel":3,"stride":2,"padding":1,"groups":8,"bias":true},{"type":"relu6"},{"type":"conv2d","out":16,"kernel":1,"stride":1,"padding":0,"groups":1,"bias":true},{"type":"batchnorm"},{"type":"hardswish","name":"down_act"}]},{"type":"maxpool2d","kernel":2,"stride":2},{"type":"conv2d","out":8,"kernel":1,"stride":1,"padding":0,"groups":2,"bias":false},{"type":"avgpool2d","kernel":2,"stride":1},{"type":"globalavgpool"},{"type":"flatten"},{"type":"batchnorm"},{"type":"linear","name":"hidden","out":12,"bias":true},{"type":"silu"},{"type":"dropout","p":0.25},{"type":"residual","layers":[{"type":"linear","out":12,"bias":true},{"type":"gelu"}]},{"type":"residual","layers":[{"type":"linear","out":6,"bias":false}]},{"type":"linear","out":3,"bias":true}]}
        """;
    private const string ExpectedFingerprint =
        """
        weights -0.13508391,-0.005175702 0.18883513,0.0985856 1,1 0,0 0.29447156,-0.25935805 -0.26707968,-0.019784253 0.06650111,0.218858 -0.09678931,-0.19706757 1,1 0,0 -0.106124245,0.18919434 -0.028729063,-0.11098487 1,1 0,0 0.18312165,0.2144027 0.13205041,-0.14755899 0.10726243,-0.15330133 -0.045907408,0.21685378 0.11407244,0.059828125 0.26909554,0.26418093 0.23634209,0.2766555 -0.29643625,-0.31306294
        parameters 1133
        onnx 43d8a4c61a912473931b511f96c0acda070eba6699403d0767f3645e7fbbc5e5
        cost 19730 1133 819664
        group 0 3 [the model's input] layers[0]:Input:1
        group 1 8 [] layers[0]:Output:1 layers[1]:Norm:1 layers[3].layers[0]:Depthwise:1 layers[3].layers[2]:Input:1 layers[3]:ProjectionInput:1
        group 2 16 [read by the grouped conv layers[5] (groups 2)] layers[3].layers[2]:Output:1 layers[3].layers[3]:Norm:1 layers[3]:ProjectionOutput:1
        group 3 8 [made by the grouped conv layers[5] (groups 2)] layers[9]:Norm:1 layers[10]:Input:1
        group 4 12 [] layers[10]:Output:1 layers[13].layers[0]:Input:1 layers[13].layers[0]:Output:1 layers[14].layers[0]:Input:1 layers[14]:ProjectionInput:1
        group 5 6 [] layers[14].layers[0]:Output:1 layers[14]:ProjectionOutput:1 layers[15]:Input:1
        group 6 3 [the model's output (one per class)] layers[15]:Output:1
        pruned {"input":[3,8,8],"layers":[{"type":"conv2d","name":"stem","out":4,"kernel":3,"stride":1,"padding":1,"groups":1,"bias":true},{"type":"batchnorm","name":"stem_bn"},{"type":"relu"},{"type":"residual","name":"down","layers":[{"type":"conv2d","out":4,"kernel":3,"stride":2,"padding":1,"groups":4,"bias":true},{"type":"relu6"},{"type":"conv2d","out":16,"kernel":1,"stride":1,"padding":0,"groups":1,"bias":true},{"type":"batchnorm"},{"type":"hardswish","name":"down_act"}]},{"type":"maxpool2d","kernel":2,"stride":2},{"type":"conv2d","out":8,"kernel":1,"stride":1,"padding":0,"groups":2,"bias":false},{"type":"avgpool2d","kernel":2,"stride":1},{"type":"globalavgpool"},{"type":"flatten"},{"type":"batchnorm"},{"type":"linear","name":"hidden","out":6,"bias":true},{"type":"silu"},{"type":"dropout","p":0.25},{"type":"residual","layers":[{"type":"linear","out":6,"bias":true},{"type":"gelu"}]},{"type":"residual","layers":[{"type":"linear","out":3,"bias":false}]},{"type":"linear","out":3,"bias":true}]}
        pruned onnx 59dacbce4fe01f9f7fffdc0ec807034336cd0145b8985bec5114cef9f11a486c
        stem=159/216 layers[3].layers[0]=34/72 layers[3].layers[2]=49/128 down projection=56/128 layers[5]=28/64 layers[13].layers[0]=63/144 layers[14].layers[0]=30/72 layers[14] projection=32/72 layers[15]=6/18
        """;

    [Fact]
    public void A_spec_of_every_built_in_kind_gives_the_pinned_json_weights_onnx_costs_and_pruning()
    {
        ModelSpec spec = Specs.Parse(Json);
        Assert.Equal(ExpectedCanonicalJson, spec.ToJson());
        Assert.Equal(ExpectedFingerprint, Fingerprint(spec).ReplaceLineEndings("\n"));
    }

    private static string Fingerprint(ModelSpec spec)
    {
        // Convolutions off oneDNN whatever ran before in this process (SupervisedTrainer turns it off once):
        // its kernels and libtorch's round differently, and the batchnorm statistics below would follow.
        OneDnnConvolutions.DisableUnlessIsaChosen();
        var text = new StringBuilder();
        using SequentialModel model = ModelFactory.Create(spec, seed: 11);
        text.Append("weights ").AppendJoin(' ', model.parameters().Select(p => First(p, 2))).Append('\n');
        text.Append("parameters ").Append(model.ParameterCount).Append('\n');
        // One training-mode pass moves the batchnorms' running statistics, so folding them is pinned too.
        using (no_grad())
        {
            model.train();
            using Tensor batch = rand([4, 3, 8, 8], generator: new TorchSharp.torch.Generator(5));
            using Tensor _ = model.forward(batch);
        }
        model.eval();
        text.Append("onnx ").Append(ExportHash(model)).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"cost {SpecCost.Flops(spec)} {SpecCost.Parameters(spec)} {MemoryEstimate.Of(spec, 32).TrainingBytes:R}\n");

        ChannelGraph graph = ChannelGraph.Of(spec);
        var selection = new ChannelSelection();
        foreach (ChannelGroup group in graph.Groups)
        {
            text.Append(CultureInfo.InvariantCulture, $"group {group.Id} {group.Channels} [{group.FixedReason}]");
            text.AppendJoin("", group.Members.Select(m => $" {m.Layer}:{m.Role}:{m.ColumnsPerChannel}")).Append('\n');
            if (group.Prunable)
            {
                selection.Keep(group.Id, Enumerable.Range(0, group.Channels).Where(c => c % 2 == 1));
            }
        }
        using SequentialModel pruned = ChannelPruner.Prune(model, graph, selection);
        text.Append("pruned ").Append(pruned.Spec.ToJson()).Append('\n');
        text.Append("pruned onnx ").Append(ExportHash(pruned)).Append('\n');
        using WeightMasks masks = WeightMasks.Compute(model, 0.5, global: true, excluded: ["hidden"]);
        masks.Apply();
        text.AppendJoin(' ', masks.Sparsities().Select(s => $"{s.Layer}={s.Zeros}/{s.Weights}"));
        return text.ToString();
    }

    private static string First(Tensor parameter, int count)
    {
        using Tensor flat = parameter.detach().flatten();
        return string.Join(',', flat.data<float>().Take(count).Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
    }

    private static string ExportHash(SequentialModel model)
    {
        string path = Path.Combine(Path.GetTempPath(), $"pin-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, path);
            // The graph and its weights, not the SDK version that wrote them (producer_version).
            var proto = Compression.Onnx.OnnxModelFile.Read(path);
            proto.ProducerVersion = "";
            return Convert.ToHexStringLower(SHA256.HashData(Google.Protobuf.MessageExtensions.ToByteArray(proto)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
