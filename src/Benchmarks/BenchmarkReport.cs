using System.Text.Json;

namespace Mining.Benchmarks;

/// <summary>Named benchmark figures with the machine they were measured on, written as indented JSON.</summary>
/// <remarks>
/// The file reads:
/// <code>
/// { "title": "...", "created_utc": "2025-01-01T00:00:00.0000000Z",
///   "machine": { "processor_count": 2, "os": "...", "dotnet": "...", "torch": "...", "torch_threads": 2 },
///   "figures": { "gemm_gflops": 81.5, ... } }
/// </code>
/// Figures keep the order they were added in.
/// </remarks>
public sealed class BenchmarkReport
{
    private readonly List<KeyValuePair<string, double>> figures = [];

    /// <summary>Starts an empty report titled <paramref name="title"/> for <paramref name="machine"/> (default: <see cref="MachineInfo.Current"/>).</summary>
    public BenchmarkReport(string title, MachineInfo? machine = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Title = title;
        Machine = machine ?? MachineInfo.Current();
    }

    /// <summary>What the report measures.</summary>
    public string Title { get; }

    /// <summary>The machine the figures were measured on.</summary>
    public MachineInfo Machine { get; }

    /// <summary>The figures so far, in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Figures => figures;

    /// <summary>Adds the figure <paramref name="name"/>; a name used twice or a value that is not finite is an error, as either would make the report lie.</summary>
    public BenchmarkReport Add(string name, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (figures.Exists(figure => figure.Key == name))
        {
            throw new ArgumentException($"figure '{name}' is already in the report '{Title}'", nameof(name));
        }

        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"figure '{name}' must be a finite number");
        }

        figures.Add(new KeyValuePair<string, double>(name, value));
        return this;
    }

    /// <summary>Writes the report to <paramref name="path"/>, creating its folder, replacing any file there.</summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);

        using var stream = File.Create(fullPath);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("title", Title);
        json.WriteString("created_utc", DateTime.UtcNow);
        json.WriteStartObject("machine");
        json.WriteNumber("processor_count", Machine.ProcessorCount);
        json.WriteString("os", Machine.OsDescription);
        json.WriteString("dotnet", Machine.DotNetVersion);
        json.WriteString("torch", Machine.TorchVersion);
        json.WriteNumber("torch_threads", Machine.TorchThreads);
        json.WriteEndObject();
        json.WriteStartObject("figures");
        foreach (var (name, value) in figures)
        {
            json.WriteNumber(name, value);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
