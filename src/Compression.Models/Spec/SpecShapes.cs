namespace Compression.Models.Spec;

/// <summary>
/// Shape inference for a spec's layers: the shape after each layer from the shape entering the first,
/// each layer's kind checking that it fits its input. Errors name the JSON path of the offending field.
/// </summary>
internal static class SpecShapes
{
    public static int[][] Infer(int[] input, IReadOnlyList<LayerSpec> layers, string jsonPath)
    {
        var shapes = new int[layers.Count][];
        int[] shape = input;
        for (int i = 0; i < layers.Count; i++)
        {
            shape = layers[i].Type.OutputShape(layers[i].Settings, shape, $"{jsonPath}.layers[{i}]");
            shapes[i] = shape;
        }
        return shapes;
    }
}
