using System.Text.Json;

namespace RedEducation.Deployment.Tests.Infrastructure;

/// <summary>The instructions of a Dockerfile that the checks read, continuation lines joined.</summary>
internal sealed record Dockerfile(IReadOnlyList<(string Instruction, string Arguments)> Lines)
{
    public static Dockerfile Read(string path)
    {
        var lines = new List<(string, string)>();
        var pending = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var whole = (pending + line).Trim();
            pending = "";
            var cut = whole.IndexOf(' ', StringComparison.Ordinal);
            lines.Add(cut < 0 ? (whole.ToUpperInvariant(), "") : (whole[..cut].ToUpperInvariant(), whole[(cut + 1)..].Trim()));
        }
        return new Dockerfile(lines);
    }

    public IEnumerable<string> All(string instruction) => Lines.Where(l => l.Instruction == instruction).Select(l => l.Arguments);

    /// <summary>The instructions of the last stage (from its FROM on): what the image is.</summary>
    public Dockerfile FinalStage => new([.. Lines.Skip(Lines.ToList().FindLastIndex(l => l.Instruction == "FROM"))]);

    /// <summary>ENTRYPOINT in exec form, as its words.</summary>
    public IReadOnlyList<string> Entrypoint =>
        All("ENTRYPOINT").LastOrDefault() is { } e && e.StartsWith('[') ? JsonSerializer.Deserialize<string[]>(e) ?? [] : [];

    /// <summary>ENV name=value pairs (the form this Dockerfile uses).</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        All("ENV").SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim('"'));
}
