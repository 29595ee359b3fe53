using System.Text.Json;
using VpnAppliance.Core;
using VpnAppliance.Firmware;

namespace VpnAppliance.Boards;

/// <summary>One boards/&lt;name&gt;/board.json, read on the host.</summary>
public sealed class BoardProfile
{
    /// <summary>Folder name (= "name" in the file).</summary>
    public required string Name { get; init; }
    /// <summary>The board's folder.</summary>
    public required string Directory { get; init; }
    /// <summary>Chip description.</summary>
    public required string Chip { get; init; }
    /// <summary>nanoff target name, null for the host board.</summary>
    public string? NanoffTarget { get; init; }
    /// <summary>Managed heap budget of DESIGN.md §5.</summary>
    public required long HeapBudgetBytes { get; init; }
    /// <summary>Pool sizes.</summary>
    public required Capacities Capacities { get; init; }
    /// <summary>The whole document, for tools that print ports, pins, crypto.</summary>
    public required JsonElement Document { get; init; }

    /// <summary>The firmware's view of this board.</summary>
    public BoardInfo ToBoardInfo() => new(Name, Chip, HeapBudgetBytes, Capacities);

    /// <summary>Reads and checks one board.json; throws <see cref="BoardFileException"/> naming the file and the problem.</summary>
    public static BoardProfile Load(string path)
    {
        string text = File.ReadAllText(path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new BoardFileException(path, $"not valid JSON: {e.Message}");
        }

        JsonElement root = doc.RootElement;
        string name = RequireString(path, root, "name");
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (name != Path.GetFileName(dir))
        {
            throw new BoardFileException(path, $"\"name\" is '{name}' but the folder is '{Path.GetFileName(dir)}'");
        }

        if (!root.TryGetProperty("memory", out JsonElement memory) || !memory.TryGetProperty("heapBudgetBytes", out JsonElement heap) || !heap.TryGetInt64(out long heapBytes) || heapBytes <= 0)
        {
            throw new BoardFileException(path, "memory.heapBudgetBytes must be a positive integer");
        }

        if (!root.TryGetProperty("capacities", out JsonElement caps) || caps.ValueKind != JsonValueKind.Object)
        {
            throw new BoardFileException(path, "\"capacities\" object missing");
        }

        var capacities = new Capacities();
        foreach (JsonProperty p in caps.EnumerateObject())
        {
            if (!p.Value.TryGetInt32(out int v))
            {
                throw new BoardFileException(path, $"capacities.{p.Name} must be an integer");
            }

            if (!capacities.Set(p.Name, v))
            {
                throw new BoardFileException(path, $"capacities.{p.Name} is not a known capacity (known: {string.Join(", ", Capacities.FieldNames)})");
            }
        }

        foreach (string field in Capacities.FieldNames)
        {
            if (!caps.TryGetProperty(field, out _))
            {
                throw new BoardFileException(path, $"capacities.{field} missing");
            }
        }

        string? problem = capacities.Validate();
        if (problem != null)
        {
            throw new BoardFileException(path, "capacities: " + problem);
        }

        string? target = root.TryGetProperty("nanoffTarget", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return new BoardProfile
        {
            Name = name,
            Directory = dir,
            Chip = RequireString(path, root, "chip"),
            NanoffTarget = target,
            HeapBudgetBytes = heapBytes,
            Capacities = capacities,
            Document = root.Clone(),
        };
    }

    private static string RequireString(string path, JsonElement root, string property)
    {
        if (!root.TryGetProperty(property, out JsonElement e) || e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString()))
        {
            throw new BoardFileException(path, $"\"{property}\" must be a non-empty string");
        }

        return e.GetString()!;
    }
}

/// <summary>A board.json that cannot be used; the message names the file and the rule.</summary>
public sealed class BoardFileException(string path, string problem) : Exception($"{path}: {problem}")
{
    /// <summary>The file.</summary>
    public string FilePath { get; } = path;
}
