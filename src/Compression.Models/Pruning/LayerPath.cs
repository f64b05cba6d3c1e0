using Compression.Models.Spec;

namespace Compression.Models.Pruning;

/// <summary>
/// Where a layer sits in a spec: its index in the top-level layers, then in each residual body on the
/// way down (<c>[3, 1]</c> is the second layer of the body of layer 3). Printed as the config path
/// (<c>layers[3].layers[1]</c>), which is also how the report names an unnamed layer.
/// </summary>
public sealed record LayerPath(IReadOnlyList<int> Indices)
{
    /// <summary>The path of layer <paramref name="index"/> inside this layer's body.</summary>
    public LayerPath Child(int index) => new([.. Indices, index]);

    /// <summary>The top-level layer <paramref name="index"/>.</summary>
    public static LayerPath Top(int index) => new([index]);

    /// <summary>The layer this path points at in <paramref name="spec"/>.</summary>
    public LayerSpec In(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        LayerSpec layer = spec.Layers[Indices[0]];
        for (int i = 1; i < Indices.Count; i++)
        {
            layer = layer.Body[Indices[i]];
        }
        return layer;
    }

    /// <summary>The layer's name, or its path when it has none.</summary>
    public string Describe(ModelSpec spec) => In(spec).Name ?? ToString();

    public bool Equals(LayerPath? other) => other is not null && Indices.SequenceEqual(other.Indices);

    public override int GetHashCode() => Indices.Aggregate(17, (h, i) => (h * 31) + i);

    public override string ToString() => string.Concat(Indices.Select(i => $"layers[{i}]").Aggregate((a, b) => a + "." + b));
}
