using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Compression.Core.Tests.Config;

/// <summary>
/// Finds <see cref="RangeAttribute"/>s whose message does not state the range they enforce (a batch
/// size of 10^9 once said "must be at least 1"): the first two numbers of the message must be the
/// minimum and the maximum, exactly (a learning rate of 1e-10 was refused with "must be in (0, 10]"),
/// and an interval written with brackets must open with '(' exactly when the minimum is exclusive
/// (and close likewise).
/// </summary>
public static partial class RangeMessages
{
    /// <summary>Every [Range] on a property declared by a type in <paramref name="assemblies"/>, with what is wrong with its message (empty when nothing is).</summary>
    public static IEnumerable<(string Property, string Problem)> Check(params Assembly[] assemblies)
    {
        foreach (Type type in assemblies.SelectMany(a => a.GetTypes()))
        {
            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (property.GetCustomAttribute<RangeAttribute>() is RangeAttribute range)
                {
                    yield return ($"{type.Name}.{property.Name}", Problem(range));
                }
            }
        }
    }

    private static string Problem(RangeAttribute range)
    {
        string message = range.ErrorMessage ?? "";
        double minimum = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
        double maximum = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        string stated = message.Split(':')[0];
        double[] numbers = [.. Number().Matches(stated).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture))];
        if (numbers.Length < 2 || numbers[0] != minimum || numbers[1] != maximum)
        {
            return $"'{message}' does not state the range [{minimum.ToString(CultureInfo.InvariantCulture)}, {maximum.ToString(CultureInfo.InvariantCulture)}]";
        }
        Match interval = Interval().Match(stated);
        if (interval.Success && (interval.Groups["open"].Value == "(") != range.MinimumIsExclusive)
        {
            return $"'{message}' opens with '{interval.Groups["open"].Value}' but the minimum is {(range.MinimumIsExclusive ? "exclusive" : "inclusive")}";
        }
        if (interval.Success && (interval.Groups["close"].Value == ")") != range.MaximumIsExclusive)
        {
            return $"'{message}' closes with '{interval.Groups["close"].Value}' but the maximum is {(range.MaximumIsExclusive ? "exclusive" : "inclusive")}";
        }
        return "";
    }

    [GeneratedRegex(@"-?\d+(\.\d+)?(e-?\d+)?", RegexOptions.IgnoreCase)]
    private static partial Regex Number();

    [GeneratedRegex(@"(?<open>[\[(])[^\])]*(?<close>[\])])")]
    private static partial Regex Interval();
}
