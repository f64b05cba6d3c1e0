namespace Compression.Models.Pruning;

/// <summary>
/// Which channels of each group stay (sorted indices into the group's current channels). A group
/// that is not listed keeps all its channels.
/// </summary>
public sealed class ChannelSelection
{
    private readonly Dictionary<int, int[]> _kept = [];

    /// <summary>Keeps <paramref name="channels"/> of group <paramref name="groupId"/> (at least one).</summary>
    public ChannelSelection Keep(int groupId, IEnumerable<int> channels)
    {
        int[] sorted = channels.Distinct().Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException($"group {groupId} would keep no channel: a layer never loses all of them", nameof(channels));
        }
        _kept[groupId] = sorted;
        return this;
    }

    /// <summary>The kept channels of <paramref name="group"/>: all of them when it was not listed.</summary>
    public int[] Kept(ChannelGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (!_kept.TryGetValue(group.Id, out int[]? kept))
        {
            return Enumerable.Range(0, group.Channels).ToArray();
        }
        if (kept[^1] >= group.Channels)
        {
            throw new ArgumentException($"group {group.Id} has {group.Channels} channels; channel {kept[^1]} does not exist");
        }
        return kept;
    }

    /// <summary>Whether group <paramref name="groupId"/> loses channels.</summary>
    public bool Touches(int groupId) => _kept.ContainsKey(groupId);
}
