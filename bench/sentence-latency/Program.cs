using System.Diagnostics;
using System.Globalization;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;

// Usage: SentenceLatency <teacher.onnx> <student.onnx> <length> [rounds] [iterations per round]
// Times a BERT-family sentence encoder (inputs input_ids, attention_mask, token_type_ids as int64 [1, L]) and a spec
// student (input [1, 2, L] floats: ids row, mask row) at batch 1 and the same L, one intra-op thread each, their runs
// interleaved one for one so that load on a shared machine hits both alike; prints per-round medians, the speedup
// (teacher / student median) per round and over all rounds, and both models' non-embedding parameters.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: SentenceLatency <teacher.onnx> <student.onnx> <length> [rounds] [iterations]");
    return 2;
}
string teacherPath = args[0], studentPath = args[1];
int length = int.Parse(args[2], CultureInfo.InvariantCulture);
int rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
int iterations = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 100;

// Every position a token: the work does not depend on which ids (a Gather), only on how many attend.
var random = new Random(7);
long[] ids = [.. Enumerable.Range(0, length).Select(i => i == 0 ? 101L : i == length - 1 ? 102L : random.Next(1000, 30000))];
long[] mask = [.. Enumerable.Repeat(1L, length)];

using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
using var teacher = new InferenceSession(teacherPath, options);
using var student = new InferenceSession(studentPath, options);
long[] shape = [1, length];
using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[length], shape);
var teacherInputs = new Dictionary<string, OrtValue> { ["input_ids"] = idsValue, ["attention_mask"] = maskValue };
if (teacher.InputMetadata.ContainsKey("token_type_ids"))
{
    teacherInputs["token_type_ids"] = typesValue;
}
string teacherOutput = teacher.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state" : teacher.OutputMetadata.Keys.First();
float[] sample = [.. ids.Select(i => (float)i), .. mask.Select(m => (float)m)];
using var sampleValue = OrtValue.CreateTensorValueFromMemory(sample, [1, 2, length]);
string studentInput = student.InputMetadata.Keys.Single();
string studentOutput = student.OutputMetadata.Keys.First();
using var runOptions = new RunOptions();

double Time(Action run)
{
    long start = Stopwatch.GetTimestamp();
    run();
    return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}
void RunTeacher()
{
    using IDisposableReadOnlyCollection<OrtValue> outputs = teacher.Run(runOptions, teacherInputs.Keys.ToArray(), teacherInputs.Values.ToArray(), [teacherOutput]);
}
void RunStudent()
{
    using IDisposableReadOnlyCollection<OrtValue> outputs = student.Run(runOptions, [studentInput], [sampleValue], [studentOutput]);
}

for (int i = 0; i < 20; i++)
{
    RunTeacher();
    RunStudent();
}
var ratios = new List<double>();
var allTeacher = new List<double>();
var allStudent = new List<double>();
for (int round = 1; round <= rounds; round++)
{
    var t = new List<double>(iterations);
    var s = new List<double>(iterations);
    for (int i = 0; i < iterations; i++)
    {
        t.Add(Time(RunTeacher));
        s.Add(Time(RunStudent));
    }
    allTeacher.AddRange(t);
    allStudent.AddRange(s);
    double tm = Median(t), sm = Median(s);
    ratios.Add(tm / sm);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: teacher p50 {tm:0.000} ms, student p50 {sm:0.000} ms, speedup {tm / sm:0.00}x"));
}
double teacherMedian = Median(allTeacher), studentMedian = Median(allStudent);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"batch 1, length {length}, 1 thread, {rounds} x {iterations} interleaved runs: teacher p50 {teacherMedian:0.000} ms, student p50 {studentMedian:0.000} ms, speedup {teacherMedian / studentMedian:0.00}x (rounds {ratios.Min():0.00}-{ratios.Max():0.00}x)"));

long teacherParameters = NonEmbedding(teacherPath, ["embeddings.word_embeddings", "embeddings.position_embeddings", "embeddings.token_type_embeddings", "pooler."]);
long studentParameters = NonEmbedding(studentPath, ["embeddings.word_embeddings", "embeddings.position_embeddings"]);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"non-embedding parameters (float initializers of rank >= 1 but the word, position and token-type tables, and the teacher's unused pooler): teacher {teacherParameters:N0}, student {studentParameters:N0}, {100.0 * (1 - ((double)studentParameters / teacherParameters)):0.0}% fewer"));
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static long NonEmbedding(string path, string[] excluded) =>
    OnnxModelFile.Read(path).Graph.Initializer
        .Where(i => i.DataType == (int)TensorProto.Types.DataType.Float && i.Dims.Count >= 1 && !excluded.Any(e => i.Name.StartsWith(e, StringComparison.Ordinal)))
        .Sum(i => i.Dims.Aggregate(1L, (a, b) => a * b));
