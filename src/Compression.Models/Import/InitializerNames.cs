using System.Text;

namespace Compression.Models.Import;

/// <summary>
/// The module names of a graph's initializers: each name with every character outside
/// [A-Za-z0-9_] replaced by '_' (TorchSharp reserves '.' for submodule paths), prefixed with "t_"
/// when it is empty or starts with a digit, and suffixed _2, _3, ... when two initializers would
/// clash. Assigned in initializer order, so the same graph always gets the same names.
/// </summary>
internal static class InitializerNames
{
    public static Dictionary<string, string> Assign(IEnumerable<string> initializerNames)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (string initializer in initializerNames)
        {
            string baseName = Sanitise(initializer);
            string name = baseName;
            for (int suffix = 2; !taken.Add(name); suffix++)
            {
                name = $"{baseName}_{suffix}";
            }
            names[initializer] = name;
        }
        return names;
    }

    public static string Sanitise(string name)
    {
        var builder = new StringBuilder(name.Length + 2);
        foreach (char c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, "t_");
        }
        return builder.ToString();
    }
}
