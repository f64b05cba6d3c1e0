namespace Compression.Models.Spec;

/// <summary>A model spec that cannot be built; <see cref="JsonPath"/> says where (e.g. <c>student.layers[2].kernel</c>).</summary>
public sealed class ModelSpecException(string jsonPath, string message) : Exception(message)
{
    public string JsonPath { get; } = jsonPath;
}
