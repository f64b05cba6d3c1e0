using System.Reflection;

namespace Compression.Models.Tests.Import;

/// <summary>
/// The ImageNet ResNet-18 ONNX (CNTK export, opset 8, input 1x3x224x224) that the NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 carries under tools/: read where restore put the package
/// (its folder is compiled into this assembly), never copied into the repo or the output.
/// </summary>
internal static class ResNet18Model
{
    public static string Path
    {
        get
        {
            string? package = typeof(ResNet18Model).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "ResNet18Package")?.Value;
            Assert.False(string.IsNullOrEmpty(package), "the test assembly does not name the ResNet-18 package folder: dotnet restore tests/Compression.Models.Tests");
            string path = System.IO.Path.Combine(package!, "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");
            Assert.True(File.Exists(path), $"{path} not found: dotnet restore tests/Compression.Models.Tests (package Microsoft.ML.DnnImageFeaturizer.ResNet18)");
            return path;
        }
    }
}
