using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Compression.Core.Diagnostics;

namespace Compression.Core.Config;

/// <summary>
/// Binds a JSON object to a settings type strictly: unknown or misspelled members, wrong types and
/// data-annotation violations all become findings that name the JSON path and its line/column.
/// One binder serves the root config and every plugin's settings type, so plugins get the same
/// quality of errors as our own stages.
/// </summary>
public sealed class SettingsBinder(JsonLocationIndex locations)
{
    /// <summary>How config JSON maps to .NET: camelCase members, comments and trailing commas allowed.</summary>
    public static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Binds <paramref name="element"/> (or defaults when it is null) at <paramref name="path"/>.</summary>
    /// <returns>The bound object, or null when there were errors (added to <paramref name="findings"/>).</returns>
    public object? Bind(JsonElement? element, Type type, string path, List<Finding> findings)
    {
        if (element is null || element.Value.ValueKind == JsonValueKind.Null)
        {
            return Activator.CreateInstance(type);
        }
        int before = findings.Count;
        CheckMembers(element.Value, type, path, findings);
        if (findings.Count > before)
        {
            return null;
        }

        object? value;
        try
        {
            value = element.Value.Deserialize(type, SerializerOptions);
        }
        catch (JsonException ex)
        {
            string relative = (ex.Path ?? "$").TrimStart('$').TrimStart('.');
            string fullPath = relative.Length == 0 ? path : relative.StartsWith('[') ? path + relative : JsonLocationIndex.Combine(path, relative);
            Type? expected = ResolveType(type, relative);
            string what = expected is null ? "a value of another type" : Describe(expected);
            findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue,
                $"'{fullPath}' has the wrong type: expected {what}", locations.LocateValue(fullPath)));
            return null;
        }
        if (value is null)
        {
            return Activator.CreateInstance(type);
        }
        Annotate(value, path, findings);
        return findings.Count > before ? null : value;
    }

    /// <summary>Binds and returns a typed object, or null with findings.</summary>
    public T? Bind<T>(JsonElement? element, string path, List<Finding> findings)
        where T : class =>
        (T?)Bind(element, typeof(T), path, findings);

    private void CheckMembers(JsonElement element, Type type, string path, List<Finding> findings)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (element.ValueKind == JsonValueKind.Array && ElementType(type) is Type itemType && IsSettingsObject(itemType))
        {
            int i = 0;
            foreach (JsonElement item in element.EnumerateArray())
            {
                CheckMembers(item, itemType, $"{path}[{i++}]", findings);
            }
            return;
        }
        if (element.ValueKind == JsonValueKind.Object && DictionaryValueType(type) is Type valueType && IsSettingsObject(valueType))
        {
            // Maps of settings objects (e.g. "budgets.targets") are checked entry by entry, each at its key.
            foreach (JsonProperty entry in element.EnumerateObject())
            {
                CheckMembers(entry.Value, valueType, JsonLocationIndex.Combine(path, entry.Name), findings);
            }
            return;
        }
        if (element.ValueKind != JsonValueKind.Object || !IsSettingsObject(type))
        {
            return;
        }

        var members = MembersOf(type);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string propertyPath = JsonLocationIndex.Combine(path, property.Name);
            if (property.Name == "$schema")
            {
                continue;
            }
            if (!members.TryGetValue(property.Name, out PropertyInfo? member))
            {
                string known = string.Join(", ", members.Keys.Order(StringComparer.Ordinal));
                string? suggestion = Suggest(property.Name, members.Keys);
                string hint = suggestion is null ? "" : $"; did you mean '{suggestion}'?";
                findings.Add(new Finding(Severity.Error, ErrorCodes.UnknownField,
                    $"unknown field '{property.Name}' in '{(path.Length == 0 ? "(root)" : path)}'{hint} Known fields: {known}",
                    locations.Locate(propertyPath)));
                continue;
            }
            CheckMembers(property.Value, member.PropertyType, propertyPath, findings);
        }
    }

    private void Annotate(object value, string path, List<Finding> findings)
    {
        if (!IsSettingsObject(value.GetType()))
        {
            return;
        }
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
        foreach (ValidationResult result in results)
        {
            string member = result.MemberNames.FirstOrDefault() ?? "";
            string memberPath = JsonLocationIndex.Combine(path, JsonNamingPolicy.CamelCase.ConvertName(member));
            object? actual = value.GetType().GetProperty(member)?.GetValue(value);
            string got = actual is null ? "" : $", got {FormatValue(actual)}";
            findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue,
                $"'{memberPath}': {result.ErrorMessage}{got}", locations.LocateValue(memberPath)));
        }
        foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length != 0)
            {
                continue;
            }
            if (IsSettingsObject(property.PropertyType) && property.GetValue(value) is { } child)
            {
                Annotate(child, JsonLocationIndex.Combine(path, NameOf(property)), findings);
            }
            else if (DictionaryValueType(property.PropertyType) is Type valueType && IsSettingsObject(valueType) && property.GetValue(value) is IDictionary map)
            {
                foreach (DictionaryEntry entry in map)
                {
                    if (entry.Value is not null)
                    {
                        Annotate(entry.Value, JsonLocationIndex.Combine(JsonLocationIndex.Combine(path, NameOf(property)), (string)entry.Key), findings);
                    }
                }
            }
            else if (ElementType(property.PropertyType) is Type itemType && IsSettingsObject(itemType) && property.GetValue(value) is IEnumerable items)
            {
                // Lists of settings objects (e.g. "teachers") are validated item by item, each at its index.
                int i = 0;
                foreach (object? item in items)
                {
                    if (item is not null)
                    {
                        Annotate(item, $"{JsonLocationIndex.Combine(path, NameOf(property))}[{i}]", findings);
                    }
                    i++;
                }
            }
        }
    }

    internal static Dictionary<string, PropertyInfo> MembersOf(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .ToDictionary(NameOf, p => p, StringComparer.Ordinal);

    internal static string NameOf(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    /// <summary>A plain settings class (not a primitive, collection, JSON node or framework type).</summary>
    internal static bool IsSettingsObject(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type)
            && type.Namespace?.StartsWith("System", StringComparison.Ordinal) != true;
    }

    /// <summary>The value type of a string-keyed dictionary, or null.</summary>
    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        return type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments().Length == 1
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static Type? ResolveType(Type root, string relativePath)
    {
        Type? current = root;
        foreach (string segment in relativePath.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = segment;
            int bracket = name.IndexOf('[');
            bool indexed = bracket >= 0;
            if (indexed)
            {
                name = name[..bracket];
            }
            if (current is null)
            {
                return null;
            }
            if (name.Length > 0)
            {
                current = MembersOf(Nullable.GetUnderlyingType(current) ?? current).GetValueOrDefault(name)?.PropertyType;
            }
            if (indexed && current is not null)
            {
                current = ElementType(current);
            }
        }
        return current;
    }

    internal static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long))
        {
            return "a whole number";
        }
        if (type == typeof(double) || type == typeof(float))
        {
            return "a number";
        }
        if (type == typeof(bool))
        {
            return "true or false";
        }
        if (type == typeof(string))
        {
            return "a string";
        }
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => $"\"{JsonNamingPolicy.CamelCase.ConvertName(n)}\""));
        }
        if (ElementType(type) is Type item)
        {
            return $"an array of {Describe(item)}";
        }
        return "an object";
    }

    private static string FormatValue(object value) => value switch
    {
        string s => $"\"{s}\"",
        IEnumerable e => "[" + string.Join(", ", e.Cast<object>()) + "]",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The closest known name within a small edit distance, for "did you mean".</summary>
    public static string? Suggest(string name, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in known)
        {
            int distance = EditDistance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
