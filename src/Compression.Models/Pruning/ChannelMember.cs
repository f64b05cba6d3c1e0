namespace Compression.Models.Pruning;

/// <summary>
/// One layer's share of a channel group: removing channel c of the group removes, in this layer,
/// the slice <paramref name="Role"/> names. <paramref name="ColumnsPerChannel"/> is how many input
/// features one channel is (the height x width a flatten folded into the feature vector; 1 otherwise).
/// </summary>
public sealed record ChannelMember(LayerPath Layer, MemberRole Role, int ColumnsPerChannel = 1);
