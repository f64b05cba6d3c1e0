using System.Text.Json;
using Compression.Models.Spec;
using Compression.Onnx;
using Compression.Onnx.Proto;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>
/// <c>{"type": "encoder", "heads": 12, "hidden": 384, "intermediate": 1536, "dropout": 0.1}</c>: one BERT
/// encoder block, post-LN as in BERT, DistilBERT and MiniLM, on a token sequence [length, hidden + 1]
/// (<see cref="TokenSequence"/>): multi-head self-attention whose scores get <see cref="EncoderModule.MaskedScore"/>
/// at padding keys, dropout, residual and LayerNorm; a GELU (erf) feed-forward, dropout, residual and LayerNorm.
/// Named, it exposes its output (hidden states with the mask channel) and its attention probabilities
/// [heads, length, length] as <c>{name}.attention</c> to feature taps, in training and in the exported graph.
/// Exported as MatMul, Reshape, Transpose, Softmax, LayerNormalization and elementwise nodes, length dynamic.
/// </summary>
public sealed class EncoderLayer : LayerType
{
    /// <summary>The suffix of the attention probabilities' tap: <c>{name}.attention</c>.</summary>
    public const string AttentionSuffix = ".attention";

    /// <summary>An encoder layer's settings.</summary>
    /// <param name="Heads">Attention heads; must divide <paramref name="Hidden"/>.</param>
    /// <param name="Hidden">Width of the hidden states, the same as the input's.</param>
    /// <param name="Intermediate">Width of the feed-forward's inner layer (4 x hidden in BERT).</param>
    /// <param name="Dropout">Dropout on attention probabilities and on both sub-blocks' outputs while training, in [0, 1).</param>
    public sealed record Settings(int Heads, int Hidden, int Intermediate, double Dropout) : LayerSettings;

    public override string Name => "encoder";

    public override IReadOnlyList<string> Fields => ["heads", "hidden", "intermediate", "dropout"];

    public override LayerSettings DefaultSettings => new Settings(0, 0, 0, 0.1);

    public override LayerSettings ReadField(LayerSettings settings, string field, JsonElement value, string path, LayerTypes types)
    {
        Settings s = SettingsOf<Settings>(settings);
        return field switch
        {
            "heads" => s with { Heads = LayerFields.PositiveInt(value, path) },
            "hidden" => s with { Hidden = LayerFields.PositiveInt(value, path) },
            "intermediate" => s with { Intermediate = LayerFields.PositiveInt(value, path) },
            _ => s with { Dropout = LayerFields.Fraction(value, path) },
        };
    }

    public override LayerSettings Complete(LayerSettings settings, string path)
    {
        Settings s = SettingsOf<Settings>(settings);
        string? missing = s.Heads == 0 ? "\"heads\": the number of attention heads"
            : s.Hidden == 0 ? "\"hidden\": the width of the hidden states (the token-embedding's)"
            : s.Intermediate == 0 ? "\"intermediate\": the feed-forward's inner width (4 x hidden in BERT)"
            : null;
        if (missing is not null)
        {
            throw new ModelSpecException(path, $"'{path}' (encoder) needs {missing}");
        }
        if (s.Hidden % s.Heads != 0)
        {
            throw new ModelSpecException($"{path}.heads", $"'{path}.heads' {s.Heads} must divide \"hidden\" {s.Hidden}: each head gets hidden / heads of the width");
        }
        return s;
    }

    public override void WriteSettings(LayerSettings settings, LayerJsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Settings s = SettingsOf<Settings>(settings);
        json.Field("heads", s.Heads);
        json.Field("hidden", s.Hidden);
        json.Field("intermediate", s.Intermediate);
        json.Field("dropout", s.Dropout);
    }

    public override int[] OutputShape(LayerSettings settings, int[] input, string path)
    {
        Settings s = SettingsOf<Settings>(settings);
        int hidden = TokenSequence.HiddenOf(input, Name, path);
        return hidden == s.Hidden
            ? input
            : throw new ModelSpecException($"{path}.hidden", $"'{path}.hidden' {s.Hidden} differs from the hidden width {hidden} of the token sequence entering it: they must be equal");
    }

    public override IReadOnlyDictionary<string, int[]> InnerTaps(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new Dictionary<string, int[]> { [AttentionSuffix] = [SettingsOf<Settings>(settings).Heads, input[0], input[0]] };
    }

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output)
    {
        Settings s = SettingsOf<Settings>(settings);
        return new EncoderModule(s.Hidden, s.Heads, s.Intermediate, s.Dropout);
    }

    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        Settings s = SettingsOf<Settings>(export.Layer.Settings);
        var module = (EncoderModule)export.Module;
        OnnxGraphBuilder graph = export.Builder;
        int headWidth = s.Hidden / s.Heads;
        (string hidden, string mask) = TokenSequence.ExportSplit(export, s.Hidden);

        // (mask - 1) * 1e9: 0 for tokens, -1e9 for padding, as [batch, 1, 1, length] over the keys.
        string shifted = export.Intermediate("mask_shifted"), scaled = export.Intermediate("mask_scaled"), bias = export.Intermediate("mask_bias");
        graph.AddNode("Add", [mask, export.AddScalar("minus_one", -1f)], [shifted]);
        graph.AddNode("Mul", [shifted, export.AddScalar("masked_score", (float)-EncoderModule.MaskedScore)], [scaled]);
        graph.AddNode("Reshape", [scaled, export.AddInt64s("bias_shape", 0, 1, 1, -1)], [bias]);

        string headShape = export.AddInt64s("head_shape", 0, 0, s.Heads, headWidth);
        string q = Heads(export, module.Query, hidden, "query", headShape, [0, 2, 1, 3]);
        string kTransposed = Heads(export, module.Key, hidden, "key", headShape, [0, 2, 3, 1]);
        string v = Heads(export, module.Value, hidden, "value", headShape, [0, 2, 1, 3]);
        string products = export.Intermediate("products"), scores = export.Intermediate("scores"), masked = export.Intermediate("masked_scores");
        graph.AddNode("MatMul", [q, kTransposed], [products]);
        graph.AddNode("Mul", [products, export.AddScalar("score_scale", (float)(1.0 / Math.Sqrt(headWidth)))], [scores]);
        graph.AddNode("Add", [scores, bias], [masked]);
        // A named layer's attention is the tensor {name}.attention, so a tap on an exported model finds it.
        string probabilities = export.Layer.Name is string name ? graph.UniqueName(name + AttentionSuffix) : export.Intermediate("attention");
        graph.AddNode("Softmax", [masked], [probabilities]).Int("axis", -1);

        string context = export.Intermediate("context"), tokens = export.Intermediate("context_tokens"), merged = export.Intermediate("context_merged");
        graph.AddNode("MatMul", [probabilities, v], [context]);
        graph.AddNode("Transpose", [context], [tokens]).Ints("perm", 0, 2, 1, 3);
        graph.AddNode("Reshape", [tokens, export.AddInt64s("merged_shape", 0, 0, s.Hidden)], [merged]);

        string projected = Dense(export, module.Output, merged, "output");
        string attendedSum = export.Intermediate("attended_sum"), attended = export.Intermediate("attended");
        graph.AddNode("Add", [projected, hidden], [attendedSum]);
        Norm(export, module.AttentionNorm, attendedSum, attended, "attention_norm");

        string expanded = Dense(export, module.Intermediate, attended, "intermediate");
        string activated = Gelu(export, expanded);
        string contracted = Dense(export, module.IntermediateOut, activated, "expand_out");
        string outputSum = export.Intermediate("output_sum"), normed = export.Intermediate("output_normed");
        graph.AddNode("Add", [contracted, attended], [outputSum]);
        Norm(export, module.OutputNorm, outputSum, normed, "output_norm");
        return graph.AddNode("Concat", [normed, mask], [export.Output]).Int("axis", 2);
    }

    /// <summary>x W^T + b as MatMul (weight stored [in, out]) and Add: the form int8 quantisation of MatMuls handles.</summary>
    private static string Dense(LayerExport export, Linear linear, string input, string name)
    {
        using Tensor transposed = linear.weight!.t();
        string product = export.Intermediate($"{name}_product"), sum = export.Intermediate(name);
        export.Builder.AddNode("MatMul", [input, export.AddTensor($"{name}.weight", transposed)], [product]);
        export.Builder.AddNode("Add", [product, export.AddTensor($"{name}.bias", linear.bias!)], [sum]);
        return sum;
    }

    private static string Heads(LayerExport export, Linear linear, string hidden, string name, string headShape, long[] permutation)
    {
        string projected = Dense(export, linear, hidden, name);
        string split = export.Intermediate($"{name}_split"), heads = export.Intermediate($"{name}_heads");
        export.Builder.AddNode("Reshape", [projected, headShape], [split]);
        export.Builder.AddNode("Transpose", [split], [heads]).Ints("perm", permutation);
        return heads;
    }

    private static void Norm(LayerExport export, LayerNorm norm, string input, string output, string name) =>
        export.Builder.AddNode("LayerNormalization", [input, export.AddTensor($"{name}.weight", norm.weight!), export.AddTensor($"{name}.bias", norm.bias!)], [output])
            .Int("axis", -1).Float("epsilon", (float)TokenEmbeddingLayer.NormEpsilon);

    /// <summary>GELU as <see cref="GeluLayer"/> exports it: 0.5 x (1 + erf(x / sqrt 2)).</summary>
    private static string Gelu(LayerExport export, string input)
    {
        string scaled = export.Intermediate("gelu_scaled"), erf = export.Intermediate("gelu_erf"), shifted = export.Intermediate("gelu_shifted");
        string product = export.Intermediate("gelu_product"), result = export.Intermediate("gelu");
        export.Builder.AddNode("Div", [input, export.AddScalar("sqrt2", MathF.Sqrt(2))], [scaled]);
        export.Builder.AddNode("Erf", [scaled], [erf]);
        export.Builder.AddNode("Add", [erf, export.AddScalar("one", 1f)], [shifted]);
        export.Builder.AddNode("Mul", [input, shifted], [product]);
        export.Builder.AddNode("Mul", [product, export.AddScalar("half", 0.5f)], [result]);
        return result;
    }

    /// <summary>Q, K, V and the output projection, LayerNorms, the feed-forward.</summary>
    public override double StoredValues(LayerSettings settings, int[] input, int[] output)
    {
        Settings s = SettingsOf<Settings>(settings);
        double h = s.Hidden, i = s.Intermediate;
        return (4 * ((h * h) + h)) + (2 * 2 * h) + ((h * i) + i) + ((i * h) + h);
    }

    /// <summary>Per sample of length L: projections 4 L H^2, scores and context 2 L^2 H, feed-forward 2 L H I.</summary>
    public override long MultiplyAdds(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        Settings s = SettingsOf<Settings>(settings);
        long l = input[0], h = s.Hidden;
        return (4 * l * h * h) + (2 * l * l * h) + (2 * l * h * s.Intermediate);
    }
}
