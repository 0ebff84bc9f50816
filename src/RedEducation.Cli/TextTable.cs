using System.Text;

namespace RedEducation.Cli;

/// <summary>A plain-text table whose columns line up in a terminal, counting CJK characters as two columns wide.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public void Add(params string?[] cells) => _rows.Add([.. cells.Select(c => c ?? "")]);

    public void WriteTo(TextWriter output)
    {
        var widths = headers.Select(DisplayWidth).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < Math.Min(row.Length, widths.Length); i++)
            {
                widths[i] = Math.Max(widths[i], DisplayWidth(row[i]));
            }
        }
        WriteRow(output, headers, widths);
        WriteRow(output, [.. widths.Select(w => new string('-', w))], widths);
        foreach (var row in _rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private static void WriteRow(TextWriter output, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Length ? cells[i] : "";
            line.Append(cell);
            if (i < widths.Length - 1)
            {
                line.Append(' ', widths[i] - DisplayWidth(cell) + 2);
            }
        }
        output.WriteLine(line.ToString().TrimEnd());
    }

    /// <summary>Terminal columns: East Asian wide and full-width characters take two.</summary>
    public static int DisplayWidth(string text) => text.Sum(c => IsWide(c) ? 2 : 1);

    private static bool IsWide(char c) =>
        c is (>= '\u1100' and <= '\u115F') or (>= '\u2E80' and <= '\uA4CF') or (>= '\uAC00' and <= '\uD7A3')
            or (>= '\uF900' and <= '\uFAFF') or (>= '\uFE30' and <= '\uFE4F') or (>= '\uFF00' and <= '\uFF60') or (>= '\uFFE0' and <= '\uFFE6');
}
