using System.ComponentModel;

namespace Compression.Plugins.Distillation.Initialization;

/// <summary>The distill stage's <c>init</c>: where the student's weights start (a seeded random draw unless set).</summary>
public sealed class InitSettings
{
    [Description("DistilBERT-style: start the student's encoder layers (and token embedding) as chosen layers of a BERT-family ONNX teacher, e.g. {\"layers\": [0, 2, 4]} for every other layer of a 6-layer teacher. The student's hidden width, heads, feed-forward width and vocabulary must equal the teacher's.")]
    public TeacherInitSettings? FromTeacher { get; set; }

    [Description("Model2Vec-style, for a static student (token-embedding with \"norm\": false, mean-pool, linear, normalize): its token table starts as the teacher's embedding of each vocabulary token alone ([CLS] token [SEP]) reduced by PCA to the table's width, positions at zero, and a linear layer right after the mean pool that maps back to the teacher's width as the PCA's inverse. Needs the teacher's vocabulary; not with fromTeacher.embeddings.")]
    public bool FromTeacherTokens { get; set; }
}
