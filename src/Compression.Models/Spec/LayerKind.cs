namespace Compression.Models;

/// <summary>The layer kinds a sequential spec can hold.</summary>
public enum LayerKind
{
    Linear,
    Conv2d,
    BatchNorm,
    Relu,
    MaxPool2d,
    AvgPool2d,
    GlobalAvgPool,
    Flatten,
    Dropout,
    Relu6,
    HardSwish,
    Silu,
    Gelu,
    Residual,
}
