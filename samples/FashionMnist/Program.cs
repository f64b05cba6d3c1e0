// Classifies a few Fashion-MNIST test images with the student model that `dotnet build` distilled,
// exported, quantized and gated (copied to the output folder as model.onnx), using nothing but ONNX Runtime.
// The test images come from Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist).
using System.IO.Compression;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

string[] classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
const string DataFolder = "/usr/share/datasets/fashion-mnist";

string modelPath = Path.Combine(AppContext.BaseDirectory, "model.onnx");
if (!File.Exists(modelPath))
{
    Console.Error.WriteLine($"{modelPath} not found: build the project with compression enabled first (dotnet build).");
    return 2;
}
if (!File.Exists(Path.Combine(DataFolder, "t10k-images-idx3-ubyte.gz")))
{
    Console.Error.WriteLine($"{DataFolder} has no test images: apt-get install dataset-fashion-mnist");
    return 2;
}

int count = args.Length > 0 && int.TryParse(args[0], out int n) ? n : 10;
var (images, labels) = ReadTestImages(count);

using var session = new InferenceSession(modelPath);
string input = session.InputMetadata.Keys.First();
int correct = 0;
for (int i = 0; i < labels.Length; i++)
{
    var tensor = new DenseTensor<float>(images[i], [1, 1, 28, 28]);
    using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)]);
    float[] logits = results[0].AsEnumerable<float>().ToArray();
    int predicted = Array.IndexOf(logits, logits.Max());
    correct += predicted == labels[i] ? 1 : 0;
    Console.WriteLine($"image {i,3}: {classes[labels[i]],-12} predicted {classes[predicted]}{(predicted == labels[i] ? "" : "  <- wrong")}");
}
Console.WriteLine($"{correct}/{labels.Length} correct");
return 0;

// The model takes raw pixel values (0-255) as the IDX file has them: the build put the data's
// normalisation (x / 255) into its graph.
static (float[][] Images, int[] Labels) ReadTestImages(int count)
{
    byte[] imageBytes = Gunzip(Path.Combine(DataFolder, "t10k-images-idx3-ubyte.gz"));
    byte[] labelBytes = Gunzip(Path.Combine(DataFolder, "t10k-labels-idx1-ubyte.gz"));
    count = Math.Min(count, labelBytes.Length - 8);
    var images = new float[count][];
    var labels = new int[count];
    for (int i = 0; i < count; i++)
    {
        images[i] = new float[28 * 28];
        for (int p = 0; p < 28 * 28; p++)
        {
            images[i][p] = imageBytes[16 + (i * 28 * 28) + p];
        }
        labels[i] = labelBytes[8 + i];
    }
    return (images, labels);
}

static byte[] Gunzip(string path)
{
    using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
    using var memory = new MemoryStream();
    gzip.CopyTo(memory);
    return memory.ToArray();
}
