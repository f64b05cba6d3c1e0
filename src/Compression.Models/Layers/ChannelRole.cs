namespace Compression.Models.Layers;

/// <summary>What a layer does to the channels flowing through it: its part in structured pruning (<see cref="Pruning.ChannelGraph"/>).</summary>
public enum ChannelRole
{
    /// <summary>Works channel by channel with nothing to slice (activations, pools, dropout).</summary>
    PassThrough,

    /// <summary>Reads every input channel and makes new output channels, which pruning can remove (linear, full conv2d).</summary>
    Produce,

    /// <summary>Holds one value per channel along its tensors' first dimension (batchnorm): sliced with the channels.</summary>
    PerChannel,

    /// <summary>One filter per channel (a depthwise conv2d): sliced with the channels, input and output alike.</summary>
    Depthwise,

    /// <summary>Turns [channels, height, width] into features, each channel becoming height x width of them.</summary>
    Flatten,

    /// <summary>A residual block: its body's channels are added to its input's (directly or through a projection).</summary>
    Residual,

    /// <summary>Ties channels in ways slicing would break: its input and output channels are kept (the default for a kind that says nothing).</summary>
    Opaque,
}
