using System.Globalization;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Features;

/// <summary>
/// The adapters a method creates for one training run: a module of their own (so they train, switch mode
/// and save together, and never become part of the student), each checked when created against the
/// teacher feature of the tap it maps.
/// </summary>
public sealed class AdapterSet : nn.Module, IAdapterFactory
{
    /// <summary>The file beside the student's weights that holds the adapters' weights.</summary>
    public const string FileName = "adapters.dat";

    private readonly IReadOnlyList<TapShape> _taps;
    private readonly Dictionary<string, nn.Module<Tensor, Tensor>> _byName = new(StringComparer.Ordinal);

    public AdapterSet(IReadOnlyList<TapShape> taps)
        : base("Adapters")
    {
        _taps = taps;
    }

    /// <summary>The adapters by name, for <see cref="DistillationBatch.Adapters"/>.</summary>
    public IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> ByName => _byName;

    public int Count => _byName.Count;

    public long ParameterCount => parameters().Sum(p => p.numel());

    public nn.Module<Tensor, Tensor> Add(string name, nn.Module<Tensor, Tensor> module, int? tap = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (string.IsNullOrEmpty(name) || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '_'))
        {
            throw new ArgumentException($"an adapter name is letters, digits and '_', got \"{name}\"", nameof(name));
        }
        if (_byName.ContainsKey(name))
        {
            throw new ArgumentException($"an adapter named \"{name}\" already exists", nameof(name));
        }
        if (tap is int index)
        {
            CheckOutput(name, module, index);
        }
        // Registered as a submodule of this one: its parameters are this module's ("hint0.weight"), for the
        // optimizer and for save/load.
        register_module(name, module);
        _byName.Add(name, module);
        return module;
    }

    public nn.Module<Tensor, Tensor> ChannelMap(string name, TapShape tap)
    {
        ArgumentNullException.ThrowIfNull(tap);
        if (tap.Student.Count != tap.Teacher.Count || tap.Student.Count is not (1 or 3))
        {
            throw new StageException(
                $"a channel map takes [C] or [C, H, W] features of the same rank; the student's are [{string.Join(", ", tap.Student)}] and the teacher's [{string.Join(", ", tap.Teacher)}]",
                $"taps[{tap.Index}]");
        }
        nn.Module<Tensor, Tensor> module = tap.Student.Count == 3
            ? nn.Conv2d(tap.Student[0], tap.Teacher[0], 1, bias: false)
            : nn.Linear(tap.Student[0], tap.Teacher[0], hasBias: false);
        return Add(name, module, tap.Index);
    }

    /// <summary>Runs <paramref name="module"/> on a zero batch of the tap's student feature and compares the result with the teacher's.</summary>
    private void CheckOutput(string name, nn.Module<Tensor, Tensor> module, int index)
    {
        if (index < 0 || index >= _taps.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"there are {_taps.Count} taps");
        }
        TapShape tap = _taps[index];
        long[] output;
        using (no_grad())
        using (NewDisposeScope())
        {
            bool training = module.training;
            module.eval();
            try
            {
                using Tensor probe = zeros([2, .. tap.Student.Select(d => (long)d)]);
                output = module.forward(probe).shape;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new StageException($"adapter '{name}' cannot take the student feature of tap {index} ([{string.Join(", ", tap.Student)}] per sample): {ex.Message}", $"taps[{index}]", ex);
            }
            finally
            {
                module.train(training);
            }
        }
        if (!output.Skip(1).Select(d => (int)d).SequenceEqual(tap.Teacher))
        {
            throw new StageException(string.Create(CultureInfo.InvariantCulture,
                $"adapter '{name}' turns the student's \"{tap.Tap.Student}\" ([{string.Join(", ", tap.Student)}] per sample) into [{string.Join(", ", output.Skip(1))}], but the teacher's \"{tap.Tap.Teacher}\" is [{string.Join(", ", tap.Teacher)}]: tap layers whose features the adapter can map (for a 1x1 channel map, the same height and width)"),
                $"taps[{index}]");
        }
    }
}
