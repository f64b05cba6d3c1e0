namespace Compression.Models.Evaluation.Embeddings;

/// <summary>A BERT-family encoder as files: its ONNX graph and its WordPiece vocabulary (one token a line, the line number its id).</summary>
/// <param name="ModelPath">The ONNX file.</param>
/// <param name="VocabularyPath">The vocab.txt file.</param>
/// <param name="ModelSha256">SHA-256 of the ONNX file, lower-case hex.</param>
/// <param name="VocabularySha256">SHA-256 of the vocabulary file, lower-case hex.</param>
public sealed record EncoderFiles(string ModelPath, string VocabularyPath, string ModelSha256, string VocabularySha256);
