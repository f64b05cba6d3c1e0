using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using Compression.Models.Spec;
using Compression.Models;

namespace Compression.Plugins.Distillation.Features;

/// <summary>
/// The distill stage's <c>taps</c>: checked against the student spec before anything runs, and against
/// the teacher's graph when the stage starts (where a tap that names no tensor, or one without a fixed
/// shape, is bad input at <c>taps[i].teacher</c>).
/// </summary>
internal static class FeatureTaps
{
    public static IReadOnlyList<FeatureTap> Configured(DistillSettings settings) =>
        settings.Taps.Select(t => new FeatureTap(t.Student, t.Teacher)).ToList();

    public static IEnumerable<SettingsError> Validate(DistillSettings settings, ModelSpec student)
    {
        if (settings.Taps.Count == 0)
        {
            yield break;
        }
        if (settings.Generations > 1)
        {
            yield return new SettingsError("taps", "taps read the configured teacher's features; with \"generations\" above 1 the later generations learn from a student, whose layers the taps do not name: use taps with one generation");
        }
        IReadOnlyDictionary<string, int[]> named = student.NamedOutputShapes();
        for (int i = 0; i < settings.Taps.Count; i++)
        {
            TapSettings tap = settings.Taps[i];
            if (string.IsNullOrEmpty(tap.Student))
            {
                yield return new SettingsError($"taps[{i}].student", $"is required: the name of a student layer ({Names(named)})");
            }
            else if (!named.ContainsKey(tap.Student))
            {
                yield return new SettingsError($"taps[{i}].student", $"the student has no layer named \"{tap.Student}\"; {Names(named)}");
            }
            if (string.IsNullOrEmpty(tap.Teacher))
            {
                yield return new SettingsError($"taps[{i}].teacher", "is required: a teacher layer name (spec teacher) or tensor name (ONNX teacher)");
            }
        }
    }

    /// <summary>Each tap's feature shapes; the teacher's are read from its graph.</summary>
    /// <exception cref="StageException">A teacher tensor cannot be tapped (at <c>taps[i].teacher</c>).</exception>
    public static IReadOnlyList<TapShape> Shapes(IReadOnlyList<FeatureTap> taps, ModelSpec student, ITeacher teacher)
    {
        IReadOnlyDictionary<string, int[]> named = student.NamedOutputShapes();
        var shapes = new List<TapShape>();
        for (int i = 0; i < taps.Count; i++)
        {
            IReadOnlyList<int> teacherShape;
            try
            {
                teacherShape = teacher.FeatureShape(taps[i].Teacher);
            }
            catch (FeatureTapException ex)
            {
                throw new StageException($"teacher '{teacher.Name}': {ex.Message}", $"taps[{i}].teacher", ex);
            }
            shapes.Add(new TapShape(i, taps[i], named[taps[i].Student], teacherShape));
        }
        return shapes;
    }

    private static string Names(IReadOnlyDictionary<string, int[]> named) =>
        named.Count == 0
            ? "the student spec names no layer: add \"name\": \"...\" to the layers to tap"
            : $"named layers: {string.Join(", ", named.Keys)}";
}
