namespace Compression.Models.Pruning;

/// <summary>How a layer's tensors are tied to a channel group.</summary>
public enum MemberRole
{
    /// <summary>A conv's output channels or a linear layer's units: weight rows and bias.</summary>
    Output,

    /// <summary>A conv's input channels or a linear layer's input columns (several per channel after a flatten).</summary>
    Input,

    /// <summary>A batchnorm: scale, shift and running statistics per channel.</summary>
    Norm,

    /// <summary>A depthwise conv (groups = channels): each channel's own filter; its input and output are the same group.</summary>
    Depthwise,

    /// <summary>A residual block's projection, producing the channels added to the body's output.</summary>
    ProjectionOutput,

    /// <summary>A residual block's projection, reading the block's input channels.</summary>
    ProjectionInput,
}
