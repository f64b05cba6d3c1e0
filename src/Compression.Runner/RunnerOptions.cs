using System.Globalization;

namespace Compression.Runner;

/// <summary>
/// The runner's command line (the runner protocol's request, docs/architecture.md "Benchmark targets"):
/// <c>bench --model NAME=PATH ... --batch N ... --warmup N --iterations N --repeats N --threads N
/// --provider NAME --optimization LEVEL --seed N [--no-memory]</c>.
/// </summary>
internal sealed class RunnerOptions
{
    public List<(string Name, string Path)> Models { get; } = [];

    public List<int> BatchSizes { get; } = [];

    public int Warmup { get; private set; } = 20;

    public int Iterations { get; private set; } = 200;

    public int Repeats { get; private set; } = 1;

    public int Threads { get; private set; } = 1;

    public string Provider { get; private set; } = "cpu";

    public string Optimization { get; private set; } = "all";

    public int Seed { get; private set; } = 42;

    public bool Memory { get; private set; } = true;

    public static RunnerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new RunnerOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new RunnerUsageException($"'{args[i]}' needs a value");
            switch (args[i])
            {
                case "--model":
                    string model = Value();
                    int eq = model.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0 || eq == model.Length - 1)
                    {
                        throw new RunnerUsageException($"--model expects NAME=PATH, got '{model}'");
                    }
                    options.Models.Add((model[..eq], model[(eq + 1)..]));
                    break;
                case "--batch":
                    options.BatchSizes.Add(Int(args[i], Value(), 1, 65_536));
                    break;
                case "--warmup":
                    options.Warmup = Int(args[i], Value(), 0, 100_000);
                    break;
                case "--iterations":
                    options.Iterations = Int(args[i], Value(), 1, 1_000_000);
                    break;
                case "--repeats":
                    options.Repeats = Int(args[i], Value(), 1, 100);
                    break;
                case "--threads":
                    options.Threads = Int(args[i], Value(), 1, 1024);
                    break;
                case "--provider":
                    options.Provider = Value();
                    break;
                case "--optimization":
                    options.Optimization = Value();
                    _ = SessionFactory.Level(options.Optimization);
                    break;
                case "--seed":
                    options.Seed = Int(args[i], Value(), int.MinValue, int.MaxValue);
                    break;
                case "--no-memory":
                    options.Memory = false;
                    break;
                default:
                    throw new RunnerUsageException($"unknown argument '{args[i]}'");
            }
        }
        if (options.Models.Count == 0)
        {
            throw new RunnerUsageException("give at least one --model NAME=PATH");
        }
        if (options.BatchSizes.Count == 0)
        {
            options.BatchSizes.Add(1);
        }
        foreach (var (name, path) in options.Models)
        {
            if (!File.Exists(path))
            {
                throw new RunnerUsageException($"model '{name}': no file at {path}");
            }
        }
        return options;
    }

    private static int Int(string flag, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new RunnerUsageException($"{flag} expects an integer in [{min}, {max}], got '{text}'");
}
