// Classifies a few Fashion-MNIST test images with the student model that `dotnet build` distilled,
// exported and gated (copied to the output folder as model.onnx), using nothing but ONNX Runtime.
// The images come from Debian's dataset-fashion-mnist package, or from the folder given second.
using System.IO.Compression;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

string[] classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
string modelPath = Path.Combine(AppContext.BaseDirectory, "model.onnx");
if (!File.Exists(modelPath))
{
    Console.Error.WriteLine($"{modelPath} not found: build the project with compression enabled first (dotnet build).");
    return 2;
}

int count = args.Length > 0 && int.TryParse(args[0], out int n) ? n : 10;
string folder = args.Length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist";
string imagesPath = Path.Combine(folder, "t10k-images-idx3-ubyte.gz");
string labelsPath = Path.Combine(folder, "t10k-labels-idx1-ubyte.gz");
if (!File.Exists(imagesPath) || !File.Exists(labelsPath))
{
    Console.Error.WriteLine($"{imagesPath} or {labelsPath} not found: apt-get install dataset-fashion-mnist, or name the folder that holds them as the second argument.");
    return 2;
}
var (images, labels) = ReadTestImages(imagesPath, labelsPath, count);

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
    Console.WriteLine($"image {i,3}: {classes[labels[i]],-11}  predicted {classes[predicted]}{(predicted == labels[i] ? "" : "  <- wrong")}");
}
Console.WriteLine($"{correct}/{labels.Length} correct");
return 0;

// IDX files as Zalando publishes them. The model takes raw pixel values (0-255) as the file has
// them: the build put the data's normalisation (x / 255) into its graph.
static (float[][] Images, int[] Labels) ReadTestImages(string imagesPath, string labelsPath, int count)
{
    byte[] imageBytes = Gunzip(imagesPath);
    byte[] labelBytes = Gunzip(labelsPath);
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
