namespace StxmPhase.IO;

/// <summary>An ordered SDF struct: name → value (double, string, <see cref="SdfStruct"/> or list).</summary>
internal sealed class SdfStruct
{
    private readonly Dictionary<string, object> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _order = [];

    public IReadOnlyList<string> Keys => _order;

    public void Set(string name, object value)
    {
        if (!_values.ContainsKey(name))
        {
            _order.Add(name);
        }

        _values[name] = value;
    }

    public object? Get(string name) => _values.GetValueOrDefault(name);

    public SdfStruct? Struct(string name) => Get(name) as SdfStruct;

    public string? String(string name) => Get(name) switch
    {
        string s => s,
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    public double? Number(string name) => Get(name) is double d ? d : null;

    /// <summary>Returns the items of an SDF array after the leading count, or null.</summary>
    public List<object>? ArrayItems(string name) => Get(name) is List<object> l ? (l.Count > 0 ? l.GetRange(1, l.Count - 1) : l) : null;

    /// <summary>Returns the declared count (element 0) of an SDF array, or null.</summary>
    public double? ArrayCount(string name) => Get(name) is List<object> { Count: > 0 } l && l[0] is double d ? d : null;
}
