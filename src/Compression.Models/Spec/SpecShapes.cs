namespace Compression.Models;

/// <summary>
/// Shape inference for a spec's layers: the shape after each layer from the shape entering the first,
/// checking on the way that every layer fits its input (rank, kernel size, groups, a residual
/// block's shortcut). Errors name the JSON path of the offending field.
/// </summary>
internal static class SpecShapes
{
    public static int[][] Infer(int[] input, IReadOnlyList<LayerSpec> layers, string jsonPath)
    {
        var shapes = new int[layers.Count][];
        int[] shape = input;
        for (int i = 0; i < layers.Count; i++)
        {
            string path = $"{jsonPath}.layers[{i}]";
            LayerSpec layer = layers[i];
            string Show(int[] s) => "[" + string.Join(", ", s) + "]";
            void Require(int rank, string hint)
            {
                if (shape.Length != rank)
                {
                    throw new ModelSpecException(path, $"'{path}' ({layer.Kind.ToString().ToLowerInvariant()}) needs a {rank}-D input per sample but gets {Show(shape)}{hint}");
                }
            }
            int Spatial(int size, string what)
            {
                int result = ((size + (2 * layer.Padding) - layer.Kernel) / layer.Stride) + 1;
                if (size + (2 * layer.Padding) < layer.Kernel || result < 1)
                {
                    throw new ModelSpecException($"{path}.kernel", $"'{path}.kernel' {layer.Kernel} is larger than the {what} {size} (plus padding) of its input {Show(shape)}");
                }
                return result;
            }
            shape = layer.Kind switch
            {
                LayerKind.Linear => RequireThen(() => Require(1, ": add {\"type\": \"flatten\"} before it"), () => [layer.Out]),
                LayerKind.Conv2d => RequireThen(() => { Require(3, " ([channels, height, width])"); CheckGroups(layer, shape[0], path); }, () => [layer.Out, Spatial(shape[1], "height"), Spatial(shape[2], "width")]),
                LayerKind.MaxPool2d or LayerKind.AvgPool2d => RequireThen(() => Require(3, " ([channels, height, width])"), () => [shape[0], Spatial(shape[1], "height"), Spatial(shape[2], "width")]),
                LayerKind.GlobalAvgPool => RequireThen(() => Require(3, " ([channels, height, width])"), () => [shape[0], 1, 1]),
                LayerKind.BatchNorm => RequireThen(() => { if (shape.Length is not (1 or 3)) { Require(3, ""); } }, () => shape),
                LayerKind.Flatten => [Flattened(shape, path)],
                LayerKind.Residual => ResidualOutput(shape, layer, path),
                _ => shape,
            };
            shapes[i] = shape;
        }
        return shapes;
    }

    private static int[] ResidualOutput(int[] input, LayerSpec layer, string path)
    {
        int[] output = Infer(input, layer.Body, path)[^1];
        if (ResidualShortcut.Between(input, output) is null)
        {
            throw new ModelSpecException($"{path}.layers",
                $"'{path}' (residual): its body turns [{string.Join(", ", input)}] into [{string.Join(", ", output)}], which cannot be added to its input: keep the rank, and for images a size a 1x1 convolution with some stride reaches");
        }
        return output;
    }

    private static void CheckGroups(LayerSpec layer, int inputChannels, string path)
    {
        if (inputChannels % layer.Groups != 0 || layer.Out % layer.Groups != 0)
        {
            throw new ModelSpecException($"{path}.groups",
                $"'{path}.groups' {layer.Groups} must divide both the input's {inputChannels} channels and \"out\" {layer.Out} (depthwise: groups = input channels)");
        }
    }

    private static int Flattened(int[] shape, string path)
    {
        long size = shape.Aggregate(1L, (a, b) => a * b);
        return size <= int.MaxValue
            ? (int)size
            : throw new ModelSpecException(path, $"'{path}' (flatten) would give {size:N0} features per sample, more than a layer can have ({int.MaxValue:N0})");
    }

    private static int[] RequireThen(Action check, Func<int[]> shape)
    {
        check();
        return shape();
    }
}
