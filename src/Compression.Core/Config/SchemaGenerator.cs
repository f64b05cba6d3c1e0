using System.Collections;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compression.Abstractions.Stages;

namespace Compression.Core.Config;

/// <summary>
/// Writes a JSON Schema (draft 2020-12) for compression.json from the config types and every
/// registered stage's settings type (descriptions from [Description], bounds from [Range], defaults
/// from a fresh instance), so editors complete and check the file. Generated, never hand-edited:
/// <c>compress schema</c> prints it.
/// </summary>
public static class SchemaGenerator
{
    /// <param name="stages">Every registered stage; each one's settings type documents its <c>settings</c>.</param>
    /// <param name="formats">Plugin data formats too (built-ins when null): each one with a settings type documents <c>data.settings</c> for its name.</param>
    public static JsonObject Generate(IEnumerable<IStage> stages, Compression.Data.Formats.DataFormatRegistry? formats = null)
    {
        var schema = (JsonObject)ForType(typeof(CompressionConfig));
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        schema["title"] = "compression.json";

        var variants = new JsonArray();
        foreach (IStage stage in stages.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase))
        {
            variants.Add(new JsonObject
            {
                ["if"] = new JsonObject { ["properties"] = new JsonObject { ["stage"] = new JsonObject { ["const"] = stage.Name } } },
                ["then"] = new JsonObject { ["properties"] = new JsonObject { ["settings"] = ForType(stage.SettingsType) } },
            });
        }
        var stageItem = (JsonObject)schema["properties"]!["stages"]!["items"]!;
        stageItem["properties"]!["stage"]!["enum"] = new JsonArray(stages.Select(s => (JsonNode)s.Name).OrderBy(n => n.GetValue<string>(), StringComparer.Ordinal).ToArray());
        stageItem["allOf"] = variants;
        DocumentFormatSettings((JsonObject)schema["properties"]!["data"]!, formats ?? Compression.Data.Formats.DataFormatRegistry.BuiltIn);
        return schema;
    }

    /// <summary>For each format with settings of its own, <c>data.settings</c> is that type when <c>data.format</c> names it; the built-ins add nothing.</summary>
    private static void DocumentFormatSettings(JsonObject data, Compression.Data.Formats.DataFormatRegistry formats)
    {
        var variants = new JsonArray();
        foreach (var format in formats.All.Where(f => f.SettingsType is not null).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            variants.Add(new JsonObject
            {
                ["if"] = new JsonObject { ["properties"] = new JsonObject { ["format"] = new JsonObject { ["const"] = format.Name } } },
                ["then"] = new JsonObject { ["properties"] = new JsonObject { ["settings"] = ForType(format.SettingsType!) } },
            });
        }
        if (variants.Count > 0)
        {
            data["allOf"] = variants;
        }
    }

    private static JsonNode ForType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(JsonElement))
        {
            return new JsonObject();
        }
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }
        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }
        if (type == typeof(int) || type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer" };
        }
        if (type == typeof(double) || type == typeof(float))
        {
            return new JsonObject { ["type"] = "number" };
        }
        if (type.IsEnum)
        {
            return new JsonObject { ["enum"] = new JsonArray(Enum.GetNames(type).Select(n => (JsonNode)JsonNamingPolicy.CamelCase.ConvertName(n)).ToArray()) };
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = ForType(type.GetGenericArguments()[1]) };
        }
        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            Type item = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
            return new JsonObject { ["type"] = "array", ["items"] = ForType(item) };
        }

        object? defaults = type.GetConstructor(Type.EmptyTypes) is not null ? Activator.CreateInstance(type) : null;
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var (name, property) in SettingsBinder.MembersOf(type).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var node = (JsonObject)ForType(property.PropertyType);
            if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
            {
                node["description"] = description.Description;
            }
            if (property.GetCustomAttribute<RangeAttribute>() is { } range)
            {
                node[range.MinimumIsExclusive ? "exclusiveMinimum" : "minimum"] = JsonValue.Create(Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture));
                node[range.MaximumIsExclusive ? "exclusiveMaximum" : "maximum"] = JsonValue.Create(Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture));
            }
            if (property.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
            {
                node["enum"] = new JsonArray([.. allowed.Values.Select(v => JsonSerializer.SerializeToNode(v))]);
            }
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add((JsonNode)name);
            }
            object? value = defaults is null ? null : property.GetValue(defaults);
            if (value is string or bool or int or long or double or float)
            {
                node["default"] = JsonSerializer.SerializeToNode(value);
            }
            properties[name] = node;
        }
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
        if (required.Count > 0)
        {
            schema["required"] = required;
        }
        return schema;
    }
}
