using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Compression.Core.Config;
using Compression.Models.Training;

namespace Compression.Core.Tests.Config;

/// <summary>Every range error states the range (a batch size of 10^9 once said "must be at least 1").</summary>
public class RangeMessageTests
{
    public static TheoryData<string> Assemblies() => [typeof(CompressionConfig).Assembly.Location, typeof(TrainingSettings).Assembly.Location];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Every_range_message_names_both_bounds(string assemblyPath)
    {
        Assembly assembly = Assembly.LoadFrom(assemblyPath);
        var offenders = new List<string>();
        int checkedCount = 0;
        foreach (PropertyInfo property in assembly.GetTypes().SelectMany(t => t.GetProperties()))
        {
            foreach (RangeAttribute range in property.GetCustomAttributes<RangeAttribute>())
            {
                checkedCount++;
                string message = range.ErrorMessage ?? "";
                // A tiny positive minimum stands for an open bound at zero: "(0, 10]" states it.
                bool minimumStated = message.Contains(Format(range.Minimum), StringComparison.Ordinal)
                    || (range.Minimum is double min && min is > 0 and <= 1e-6 && message.Contains("(0,", StringComparison.Ordinal));
                if (!minimumStated || !message.Contains(Format(range.Maximum), StringComparison.Ordinal))
                {
                    offenders.Add($"{property.DeclaringType!.Name}.{property.Name}: \"{message}\" for [{Format(range.Minimum)}, {Format(range.Maximum)}]");
                }
            }
        }
        Assert.True(checkedCount > 0);
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    private static string Format(object bound) => bound switch
    {
        int.MaxValue => "2147483647",
        double d => d.ToString(d is >= 1e6 or (> 0 and < 1e-4) ? "0.##E0" : "0.######", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal),
        _ => Convert.ToString(bound, CultureInfo.InvariantCulture)!,
    };
}
