using System.Text.Json;
using Compression.Models.Spec;
using Compression.Models;

namespace Compression.Models.Tests;

internal static class Specs
{
    public static ModelSpec Parse(string json, string path = "model") => ModelSpec.Parse(JsonDocument.Parse(json).RootElement, path);
}
