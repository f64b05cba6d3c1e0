using System.Text.Json;
using Compression.Models.Spec;
using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>
/// A kind of layer a model spec can hold ("conv2d", "relu", ...): everything the toolchain needs to know
/// about it in one place. Its settings are read from the layer's JSON object and written back as
/// canonical JSON; it infers its output shape, builds its TorchSharp module, exports itself to ONNX,
/// says what it costs and what it does to channels when pruning. The built-in kinds derive from it,
/// and a plugin adds a kind by registering an instance:
/// <c>services.AddSingleton&lt;LayerType&gt;(new MyLayer())</c>. Instances are stateless and shared.
/// </summary>
public abstract class LayerType
{
    private static readonly IReadOnlyDictionary<string, int[]> s_noTaps = new Dictionary<string, int[]>();

    /// <summary>The name in a spec's <c>"type"</c> field, e.g. <c>"conv2d"</c>; unique among the registered kinds.</summary>
    public abstract string Name { get; }

    /// <summary>The settings fields a layer of this kind may have (besides <c>type</c> and <c>name</c>), in canonical order.</summary>
    public virtual IReadOnlyList<string> Fields => [];

    /// <summary>The settings before any field is read.</summary>
    public virtual LayerSettings DefaultSettings => LayerSettings.None;

    /// <summary>
    /// <paramref name="settings"/> with the field <paramref name="field"/> (one of <see cref="Fields"/>) read from
    /// <paramref name="value"/>; throws <see cref="ModelSpecException"/> at <paramref name="path"/> when it is wrong.
    /// <paramref name="types"/> parses inner layers (a residual block's body).
    /// </summary>
    public virtual LayerSettings ReadField(LayerSettings settings, string field, JsonElement value, string path, LayerTypes types) => settings;

    /// <summary>The settings once every field is read: required fields checked, derived defaults filled in.</summary>
    public virtual LayerSettings Complete(LayerSettings settings, string path) => settings;

    /// <summary>Writes every field of <paramref name="settings"/>, in the order of <see cref="Fields"/>.</summary>
    public virtual void WriteSettings(LayerSettings settings, LayerJsonWriter json)
    {
    }

    /// <summary>The shape of one sample after the layer, given the shape entering it; throws <see cref="ModelSpecException"/> when the input does not fit.</summary>
    public virtual int[] OutputShape(LayerSettings settings, int[] input, string path) => input;

    /// <summary>
    /// The layer's TorchSharp module. Weights are initialised from TorchSharp's global generator, which the
    /// caller seeds: create submodules in a fixed order.
    /// </summary>
    public abstract nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output);

    /// <summary>
    /// Adds the layer's nodes to the graph, reading <see cref="LayerExport.Input"/> and writing
    /// <see cref="LayerExport.Output"/> with the last node, which it returns; null when the layer is the identity at inference.
    /// </summary>
    public abstract NodeProto? Export(LayerExport export);

    /// <summary>
    /// The axis of the sample shape entering the layer whose length may vary between batches (a token
    /// sequence's), or null. Only the first layer's counts: the exported model's input has the symbolic
    /// dimension <c>sequence</c> there, and every layer's export must then work for any length.
    /// </summary>
    public virtual int? SequenceAxis(LayerSettings settings, int[] input) => null;

    /// <summary>
    /// Tensors inside the layer that feature taps may read besides its output, by the suffix added to the
    /// layer's name (an encoder's <c>.attention</c>), with their shapes per sample. The layer's module
    /// offers them during a tapped forward pass, and its export names those tensors <c>{name}{suffix}</c>.
    /// </summary>
    public virtual IReadOnlyDictionary<string, int[]> InnerTaps(LayerSettings settings, int[] input, int[] output) => s_noTaps;

    /// <summary>Values the layer itself stores (weights, biases, running statistics; not an inner body's), for memory estimates.</summary>
    public virtual double StoredValues(LayerSettings settings, int[] input, int[] output) => 0;

    /// <summary>Trainable parameters, as <see cref="SequentialModel.ParameterCount"/> counts them (an inner body's included).</summary>
    public virtual long TrainableParameters(LayerSettings settings, int[] input, int[] output) => (long)StoredValues(settings, input, output);

    /// <summary>Multiply-adds of one sample through the layer (an inner body's included); elementwise work counts as free.</summary>
    public virtual long MultiplyAdds(LayerSettings settings, int[] input, int[] output) => 0;

    /// <summary>What the layer does to the channels flowing through it, given the shape entering it.</summary>
    public virtual ChannelRole PruningRole(LayerSettings settings, int[] input) => ChannelRole.Opaque;

    /// <summary>How <see cref="Pruning.ChannelGraph"/> names an <see cref="ChannelRole.Opaque"/> layer in the reason its channels are kept.</summary>
    public virtual string DescribeOpaque(LayerSettings settings, string path) => $"{Name} layer {path}";

    /// <summary>The layer's <c>out</c> (output features or channels) when it has one, else null.</summary>
    public virtual int? OutputWidth(LayerSettings settings) => null;

    /// <summary>The settings with <c>out</c> reduced to <paramref name="width"/> channels (a <see cref="ChannelRole.Produce"/> or depthwise layer being pruned).</summary>
    public virtual LayerSettings WithOutputWidth(LayerSettings settings, int width) =>
        throw new NotSupportedException($"a {Name} layer has no output width to prune");

    /// <summary>Whether unstructured pruning masks the module's <c>weight</c> (conv and linear layers).</summary>
    public virtual bool HasMaskableWeight => false;

    /// <summary>Whether a batchnorm right after this layer is folded into it on export.</summary>
    public virtual bool FoldsBatchNorm => false;

    /// <summary>Throws unless the shape entering the layer has <paramref name="rank"/> dimensions; <paramref name="hint"/> ends the message.</summary>
    protected void RequireRank(int[] input, int rank, string hint, string path)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length != rank)
        {
            throw new ModelSpecException(path, $"'{path}' ({Name}) needs a {rank}-D input per sample but gets {Show(input)}{hint}");
        }
    }

    /// <summary>A shape as a spec writes it: <c>[3, 28, 28]</c>.</summary>
    protected static string Show(int[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>Settings of type <typeparamref name="T"/>, or an exception naming the kind when another kind's were given.</summary>
    protected T SettingsOf<T>(LayerSettings settings)
        where T : LayerSettings =>
        settings as T ?? throw new ArgumentException($"a {Name} layer's settings are {typeof(T).Name}, not {settings?.GetType().Name ?? "null"}", nameof(settings));
}
