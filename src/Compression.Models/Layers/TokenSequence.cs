using Compression.Models.Spec;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>
/// How a token sequence travels between the transformer layers: one tensor [batch, length, hidden + 1],
/// the hidden states with the attention mask (1 for a token, 0 for padding) as the last channel. The
/// Sequential chain passes one tensor from layer to layer, so the mask rides along in it rather than in
/// a second input; <c>token-embedding</c> puts it there, <c>encoder</c> reads and keeps it, <c>mean-pool</c>
/// uses it and drops it. A named layer's output (a tap) therefore carries the mask a loss needs to
/// leave padding out: hidden = tap[..., :hidden], mask = tap[..., hidden].
/// </summary>
internal static class TokenSequence
{
    /// <summary>The hidden states [batch, length, hidden] of a sequence tensor.</summary>
    public static Tensor Hidden(Tensor sequence) => sequence.narrow(-1, 0, sequence.shape[^1] - 1);

    /// <summary>The mask [batch, length, 1] of a sequence tensor.</summary>
    public static Tensor Mask(Tensor sequence) => sequence.narrow(-1, sequence.shape[^1] - 1, 1);

    /// <summary>The hidden width of a sequence sample shape [length, hidden + 1]; throws unless the input is one.</summary>
    public static int HiddenOf(int[] input, string kind, string path)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length != 2 || input[1] < 2)
        {
            throw new ModelSpecException(path,
                $"'{path}' ({kind}) needs a token sequence [length, hidden + 1] (what token-embedding or an encoder gives) but gets [{string.Join(", ", input)}]");
        }
        return input[1] - 1;
    }

    /// <summary>Exports the split of a sequence tensor into its hidden states and its mask [batch, length, 1]; returns both names.</summary>
    public static (string Hidden, string Mask) ExportSplit(LayerExport export, int hidden)
    {
        ArgumentNullException.ThrowIfNull(export);
        string hiddenName = export.Intermediate("hidden");
        string maskName = export.Intermediate("mask");
        string axis = export.AddInt64s("channel_axis", 2);
        export.Builder.AddNode("Slice", [export.Input, export.AddInt64s("hidden_start", 0), export.AddInt64s("hidden_end", hidden), axis], [hiddenName]);
        export.Builder.AddNode("Slice", [export.Input, export.AddInt64s("mask_start", hidden), export.AddInt64s("mask_end", hidden + 1), axis], [maskName]);
        return (hiddenName, maskName);
    }
}
