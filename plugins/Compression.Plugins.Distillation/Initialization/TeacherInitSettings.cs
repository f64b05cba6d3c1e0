using System.ComponentModel;

namespace Compression.Plugins.Distillation.Initialization;

/// <summary><c>init.fromTeacher</c>: which teacher layers the student's encoder layers start as.</summary>
public sealed class TeacherInitSettings
{
    [Description("Teacher encoder layer (0-based) for each of the student's encoder layers, in order: one per student encoder.")]
    public List<int> Layers { get; set; } = [];

    [Description("Also copy the teacher's token embedding: word table, position table (with token-type row 0 folded in) and LayerNorm.")]
    public bool Embeddings { get; set; } = true;
}
