using System.Text;
using System.Text.Json;
using Compression.Core.Diagnostics;

namespace Compression.Core.Config;

/// <summary>
/// Maps JSON paths (<c>stages[1].settings.temperature</c>) to line and column in the source file,
/// so every config error can point at the exact place. System.Text.Json's DOM keeps no positions,
/// so we read the file once more with a Utf8JsonReader and record where each value starts.
/// </summary>
public sealed class JsonLocationIndex
{
    private readonly Dictionary<string, (int Line, int Column)> _valueStarts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Line, int Column)> _propertyNames = new(StringComparer.Ordinal);

    private readonly List<DuplicateKey> _duplicates = [];

    private JsonLocationIndex(string filePath) => FilePath = filePath;

    /// <summary>
    /// A key that appears a second time in one object (JSON parsers keep the last silently): where
    /// the second occurrence is and the line of the first. Keys inside a duplicate's value are not
    /// listed again.
    /// </summary>
    public sealed record DuplicateKey(string Path, string Name, SourceLocation Second, int FirstLine);

    /// <summary>Every duplicate key, in file order.</summary>
    public IReadOnlyList<DuplicateKey> Duplicates => _duplicates;

    /// <summary>The file the positions refer to.</summary>
    public string FilePath { get; }

    /// <summary>Indexes a document that has already been parsed successfully.</summary>
    public static JsonLocationIndex Build(string filePath, byte[] utf8)
    {
        var index = new JsonLocationIndex(filePath);
        var cursor = new Cursor(utf8, LineStarts(utf8));
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        // Each frame: the path of the container and, for arrays, the next element index.
        var stack = new Stack<(string Path, bool IsArray, int NextIndex)>();
        string? pendingProperty = null;

        while (reader.Read())
        {
            var position = cursor.MoveTo((int)reader.TokenStartIndex);
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingProperty = Combine(stack.Count > 0 ? stack.Peek().Path : "", reader.GetString()!);
                    if (index._propertyNames.TryGetValue(pendingProperty, out var first))
                    {
                        index.NoteDuplicate(pendingProperty, reader.GetString()!, first.Line, position);
                    }
                    index._propertyNames[pendingProperty] = position;
                    continue;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    stack.Pop();
                    continue;
            }

            string path = NextValuePath(stack, ref pendingProperty);
            index._valueStarts[path] = position;
            if (reader.TokenType is JsonTokenType.StartObject)
            {
                stack.Push((path, false, 0));
            }
            else if (reader.TokenType is JsonTokenType.StartArray)
            {
                stack.Push((path, true, 0));
            }
        }
        return index;
    }

    private void NoteDuplicate(string path, string name, int firstLine, (int Line, int Column) second)
    {
        // The second copy of an object repeats every key inside it: report the outermost only.
        if (_duplicates.Any(d => path.StartsWith(d.Path, StringComparison.Ordinal) && path.Length > d.Path.Length && path[d.Path.Length] is '.' or '['))
        {
            return;
        }
        _duplicates.Add(new DuplicateKey(path, name, new SourceLocation(FilePath, second.Line, second.Column), firstLine));
    }

    /// <summary>
    /// The location of a path: its property name when it has one (that is where an editor should
    /// put the cursor), else its value, else the nearest enclosing path that exists.
    /// </summary>
    public SourceLocation Locate(string path)
    {
        for (string? current = path; current is not null; current = Parent(current))
        {
            if (_propertyNames.TryGetValue(current, out var name))
            {
                return new SourceLocation(FilePath, name.Line, name.Column);
            }
            if (_valueStarts.TryGetValue(current, out var value))
            {
                return new SourceLocation(FilePath, value.Line, value.Column);
            }
        }
        return new SourceLocation(FilePath, 1, 1);
    }

    /// <summary>Whether the file has the path (a property or an array element), as written.</summary>
    public bool Contains(string path) => _propertyNames.ContainsKey(path) || _valueStarts.ContainsKey(path);

    /// <summary>The location of the value at a path (e.g. where a number starts).</summary>
    public SourceLocation LocateValue(string path) =>
        _valueStarts.TryGetValue(path, out var value) ? new SourceLocation(FilePath, value.Line, value.Column) : Locate(path);

    /// <summary>Combines a parent path and a property name.</summary>
    public static string Combine(string parent, string property) =>
        parent.Length == 0 ? property : $"{parent}.{property}";

    /// <summary>The enclosing path (<c>a.b[2]</c> of <c>a.b[2].c</c>), or null at the root.</summary>
    public static string? Parent(string path)
    {
        if (path.Length == 0)
        {
            return null;
        }
        int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }

    private static string NextValuePath(Stack<(string Path, bool IsArray, int NextIndex)> stack, ref string? pendingProperty)
    {
        if (stack.Count > 0 && stack.Peek().IsArray)
        {
            var frame = stack.Pop();
            stack.Push(frame with { NextIndex = frame.NextIndex + 1 });
            return $"{frame.Path}[{frame.NextIndex}]";
        }
        string path = pendingProperty ?? "";
        pendingProperty = null;
        return path;
    }

    private static List<int> LineStarts(byte[] utf8)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }
        return starts;
    }

    /// <summary>
    /// Line and column of increasing offsets. Columns count characters, not bytes, as editors do;
    /// counting only from the previous token keeps a one-line file of many megabytes linear (counting
    /// from the line start for every token made a 50 MB single-line config take minutes).
    /// </summary>
    private sealed class Cursor(byte[] utf8, List<int> lineStarts)
    {
        private int _line;
        private int _offset;
        private int _column;

        public (int Line, int Column) MoveTo(int offset)
        {
            int line = lineStarts.BinarySearch(offset);
            if (line < 0)
            {
                line = ~line - 1;
            }
            if (line != _line || offset < _offset)
            {
                (_line, _offset, _column) = (line, lineStarts[line], 0);
            }
            _column += Encoding.UTF8.GetCharCount(utf8, _offset, offset - _offset);
            _offset = offset;
            return (line + 1, _column + 1);
        }
    }
}
