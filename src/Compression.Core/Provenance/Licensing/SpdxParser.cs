namespace Compression.Core.Provenance.Licensing;

/// <summary>
/// Parses SPDX licence expressions (SPDX specification 2.3, annex D) by recursive descent:
/// <code>
/// expression := and ("OR" and)*
/// and        := unary ("AND" unary)*
/// unary      := "(" expression ")" | simple ("WITH" exception-id)?
/// simple     := license-id "+"? | ["DocumentRef-" idstring ":"] "LicenseRef-" idstring
/// idstring   := (ALPHA | DIGIT | "-" | ".")+
/// </code>
/// WITH binds tighter than AND, AND tighter than OR. Operators are upper case, as the specification
/// asks; lower-case ones are rejected with a hint rather than read as licence ids. Only syntax is
/// checked here: <see cref="SpdxLicenseList"/> knows which ids exist. Written by hand because no
/// SPDX parser restores from our NuGet feed, and a grammar this small needs none.
/// </summary>
public static class SpdxParser
{
    /// <summary>Longest expression accepted; real ones are a few dozen characters.</summary>
    public const int MaxLength = 4096;

    /// <summary>Deepest nesting of parentheses accepted (bounds the recursion).</summary>
    private const int MaxDepth = 64;

    /// <exception cref="SpdxSyntaxException">The text is not an SPDX expression.</exception>
    public static SpdxExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new SpdxSyntaxException($"is {text.Length} characters long: at most {MaxLength} are accepted", MaxLength);
        }
        var tokens = Tokenize(text);
        if (tokens.Count == 0)
        {
            throw new SpdxSyntaxException("is empty: expected a licence id such as \"MIT\" or an expression such as \"Apache-2.0 OR MIT\"", 0);
        }
        var parser = new State(text, tokens);
        SpdxExpression expression = parser.Expression(0);
        if (parser.Index < tokens.Count)
        {
            Token extra = tokens[parser.Index];
            throw new SpdxSyntaxException($"has '{extra.Text}' at character {extra.Position + 1} where AND, OR, WITH or the end was expected", extra.Position);
        }
        return expression;
    }

    private readonly record struct Token(string Text, int Position);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                i++;
            }
            else if (c is '(' or ')' or '+')
            {
                tokens.Add(new Token(c.ToString(), i++));
            }
            else if (IsIdChar(c) || c == ':')
            {
                int start = i;
                while (i < text.Length && (IsIdChar(text[i]) || text[i] == ':'))
                {
                    i++;
                }
                tokens.Add(new Token(text[start..i], start));
            }
            else
            {
                throw new SpdxSyntaxException($"has '{c}' at character {i + 1}: ids are letters, digits, '-' and '.', joined by AND, OR, WITH and parentheses", i);
            }
        }
        return tokens;
    }

    private static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.';

    private static bool IsOperator(string token) => token is "AND" or "OR" or "WITH";

    private sealed class State(string text, List<Token> tokens)
    {
        public int Index { get; private set; }

        private Token? Peek => Index < tokens.Count ? tokens[Index] : null;

        public SpdxExpression Expression(int depth)
        {
            SpdxExpression left = Conjunction(depth);
            while (Peek?.Text == "OR")
            {
                Index++;
                left = new SpdxExpression.Or(left, Conjunction(depth));
            }
            return left;
        }

        private SpdxExpression Conjunction(int depth)
        {
            SpdxExpression left = Unary(depth);
            while (Peek?.Text == "AND")
            {
                Index++;
                left = new SpdxExpression.And(left, Unary(depth));
            }
            return left;
        }

        private SpdxExpression Unary(int depth)
        {
            Token token = Next("a licence id or '('");
            if (token.Text == "(")
            {
                if (depth >= MaxDepth)
                {
                    throw new SpdxSyntaxException($"nests parentheses more than {MaxDepth} deep", token.Position);
                }
                SpdxExpression inner = Expression(depth + 1);
                Token close = Next("')'");
                if (close.Text != ")")
                {
                    throw new SpdxSyntaxException($"has '{close.Text}' at character {close.Position + 1} where ')' was expected", close.Position);
                }
                return inner;
            }
            string id = LicenseId(token);
            bool orLater = false;
            if (Peek?.Text == "+")
            {
                if (IsReference(id))
                {
                    throw new SpdxSyntaxException($"has '+' after {id} at character {Peek.Value.Position + 1}: only SPDX licence ids take '+' (\"or later\")", Peek.Value.Position);
                }
                orLater = true;
                Index++;
            }
            string? exception = null;
            if (Peek?.Text == "WITH")
            {
                Index++;
                Token exceptionToken = Next("an exception id after WITH");
                if (IsOperator(exceptionToken.Text) || exceptionToken.Text is "(" or ")" or "+" || exceptionToken.Text.Contains(':', StringComparison.Ordinal))
                {
                    throw new SpdxSyntaxException($"has '{exceptionToken.Text}' at character {exceptionToken.Position + 1} where an exception id was expected after WITH", exceptionToken.Position);
                }
                exception = exceptionToken.Text;
            }
            return new SpdxExpression.License(id, orLater, exception, token.Position);
        }

        private string LicenseId(Token token)
        {
            string id = token.Text;
            if (IsOperator(id) || id is ")" or "+")
            {
                throw new SpdxSyntaxException($"has '{id}' at character {token.Position + 1} where a licence id was expected", token.Position);
            }
            if (id is "and" or "or" or "with" or "And" or "Or" or "With")
            {
                throw new SpdxSyntaxException($"has '{id}' at character {token.Position + 1}: SPDX operators are upper case ({id.ToUpperInvariant()})", token.Position);
            }
            if (id.Contains(':', StringComparison.Ordinal))
            {
                int colon = id.IndexOf(':', StringComparison.Ordinal);
                string document = id[..colon];
                string reference = id[(colon + 1)..];
                if (!document.StartsWith("DocumentRef-", StringComparison.Ordinal) || document.Length == "DocumentRef-".Length
                    || !reference.StartsWith("LicenseRef-", StringComparison.Ordinal) || reference.Length == "LicenseRef-".Length || reference.Contains(':', StringComparison.Ordinal))
                {
                    throw new SpdxSyntaxException($"has '{id}' at character {token.Position + 1}: a ':' is only allowed in DocumentRef-<id>:LicenseRef-<id>", token.Position);
                }
            }
            else if (id == "LicenseRef-")
            {
                throw new SpdxSyntaxException($"has 'LicenseRef-' at character {token.Position + 1} without a name after it (e.g. LicenseRef-my-licence)", token.Position);
            }
            return id;
        }

        private Token Next(string expected)
        {
            if (Index >= tokens.Count)
            {
                throw new SpdxSyntaxException($"ends where {expected} was expected", text.Length);
            }
            return tokens[Index++];
        }

        private static bool IsReference(string id) => id.StartsWith("LicenseRef-", StringComparison.Ordinal) || id.StartsWith("DocumentRef-", StringComparison.Ordinal);
    }
}
