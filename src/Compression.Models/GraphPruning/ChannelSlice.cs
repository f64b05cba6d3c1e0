namespace Compression.Models.GraphPruning;

/// <summary>
/// The part of an initializer tied to a channel group: channel <c>c</c> of the group is indices
/// <c>[Offset + c * Block, Offset + (c + 1) * Block)</c> along <see cref="Axis"/>. <see cref="Block"/> is
/// more than 1 where a flattened feature map feeds a Gemm or MatMul (one channel is height x width columns);
/// <see cref="Offset"/> is not zero where the group is one part of a concatenation.
/// </summary>
/// <param name="Initializer">The initializer's name.</param>
/// <param name="Axis">The axis sliced.</param>
/// <param name="Offset">Index of channel 0's first element along the axis.</param>
/// <param name="Block">Elements along the axis per channel.</param>
/// <param name="Role">What the initializer is to the node reading it.</param>
public sealed record ChannelSlice(string Initializer, int Axis, long Offset, long Block, SliceRole Role);
