using System.Globalization;
using System.Text;

namespace StxmPhase.IO;

/// <summary>
/// Parser for the SDF <c>.hdr</c> grammar (ALS/CLS/SLS STXM control software):
/// <c>file := { NAME '=' value ';' }</c>, <c>value := number | "string" | bareword | '{' assignments '}' | '(' item { ',' item } ')'</c>.
/// Structs become <see cref="SdfStruct"/>, arrays <see cref="List{T}"/> of values (element 0 is the declared count),
/// numbers <see cref="double"/>, everything else <see cref="string"/>.
/// </summary>
internal sealed class SdfHeader
{
    private const int MaxDepth = 64;
    private readonly string _text;
    private readonly string? _file;
    private int _pos;

    private SdfHeader(string text, string? file)
    {
        _text = text;
        _file = file;
    }

    public static SdfStruct Parse(string text, string? file)
    {
        var p = new SdfHeader(text, file);
        SdfStruct root = p.Assignments(0, topLevel: true);
        return root;
    }

    public static SdfStruct Parse(byte[] bytes, string? file) => Parse(Encoding.Latin1.GetString(bytes), file);

    private SdfStruct Assignments(int depth, bool topLevel)
    {
        if (depth > MaxDepth)
        {
            throw Error("structs and arrays are nested more than 64 levels deep.");
        }

        var result = new SdfStruct();
        while (true)
        {
            SkipWhitespace();
            if (_pos >= _text.Length)
            {
                if (!topLevel)
                {
                    throw Error("the header ends inside a '{…}' struct.");
                }

                return result;
            }

            char ch = _text[_pos];
            if (ch == ';')
            {
                _pos++;
                continue;
            }

            if (ch == '}')
            {
                if (topLevel)
                {
                    _pos++;
                    continue;
                }

                return result;
            }

            int nameStart = _pos;
            var name = new StringBuilder();
            while (_pos < _text.Length && _text[_pos] is not ('=' or ';' or '{' or '}' or '(' or ')' or '"'))
            {
                if (!char.IsWhiteSpace(_text[_pos]))
                {
                    name.Append(_text[_pos]);
                }

                _pos++;
            }

            if (_pos >= _text.Length || _text[_pos] != '=' || name.Length == 0)
            {
                _pos = nameStart;
                throw Error("expected 'NAME = value;'.");
            }

            _pos++;
            object value = Value(depth + 1);
            result.Set(name.ToString(), value);
            SkipWhitespace();
            if (_pos < _text.Length && _text[_pos] == ';')
            {
                _pos++;
            }
        }
    }

    private object Value(int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error("structs and arrays are nested more than 64 levels deep.");
        }

        SkipWhitespace();
        if (_pos >= _text.Length)
        {
            throw Error("the header ends where a value was expected.");
        }

        char ch = _text[_pos];
        if (ch == '{')
        {
            _pos++;
            SdfStruct s = Assignments(depth, topLevel: false);
            _pos++; // the closing brace, guaranteed by Assignments
            return s;
        }

        if (ch == '(')
        {
            _pos++;
            var items = new List<object>();
            while (true)
            {
                SkipWhitespace();
                if (_pos >= _text.Length)
                {
                    throw Error("the header ends inside a '(…)' array.");
                }

                char c = _text[_pos];
                if (c == ')')
                {
                    _pos++;
                    return items;
                }

                if (c is ',' or '}' or ';')
                {
                    _pos++; // separators; a stray '}' or ';' inside arrays is skipped (PolLux converter quirk)
                    continue;
                }

                items.Add(Value(depth + 1));
            }
        }

        if (ch == '"')
        {
            int end = _text.IndexOf('"', _pos + 1);
            if (end < 0)
            {
                throw Error("a quoted string is not closed.");
            }

            string s = _text.Substring(_pos + 1, end - _pos - 1);
            _pos = end + 1;
            return s;
        }

        int start = _pos;
        while (_pos < _text.Length && _text[_pos] is not (';' or ',' or ')' or '}' or '{' or '(' or '\n'))
        {
            _pos++;
        }

        if (_pos == start && ch == ';')
        {
            return string.Empty;
        }

        if (_pos == start)
        {
            throw Error(IoError.Inv($"unexpected character '{ch}' where a value was expected."));
        }

        string word = _text[start.._pos].Trim();
        return double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : word;
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private Spectra.InvalidStackContentException Error(string message) =>
        IoError.Invalid(_file, "header", _pos, "SDF header syntax: " + message);
}
