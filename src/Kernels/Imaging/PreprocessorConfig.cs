using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mining.Kernels.Imaging;

/// <summary>The fields of a Hugging Face <c>preprocessor_config.json</c> (<c>CLIPImageProcessor</c>) that image preprocessing uses.</summary>
/// <remarks>
/// Defaults are <c>CLIPImageProcessor</c>'s (transformers models/clip/image_processing_clip.py):
/// shortest edge 224, crop 224×224, bicubic, rescale 1/255, OpenAI CLIP mean and std, every step on.
/// </remarks>
public sealed record PreprocessorConfig
{
    /// <summary>OPENAI_CLIP_MEAN from transformers' image_utils.py.</summary>
    public static readonly IReadOnlyList<double> OpenAiClipMean = [0.48145466, 0.4578275, 0.40821073];

    /// <summary>OPENAI_CLIP_STD from transformers' image_utils.py.</summary>
    public static readonly IReadOnlyList<double> OpenAiClipStd = [0.26862954, 0.26130258, 0.27577711];

    /// <summary>Length the shorter image edge is resized to (<c>size.shortest_edge</c>).</summary>
    public int ShortestEdge { get; init; } = 224;

    /// <summary><c>crop_size.height</c>.</summary>
    public int CropHeight { get; init; } = 224;

    /// <summary><c>crop_size.width</c>.</summary>
    public int CropWidth { get; init; } = 224;

    public bool DoResize { get; init; } = true;

    public bool DoCenterCrop { get; init; } = true;

    public bool DoRescale { get; init; } = true;

    /// <summary>Multiplier applied to uint8 values when <see cref="DoRescale"/> (HF default 1/255).</summary>
    public double RescaleFactor { get; init; } = 1.0 / 255;

    public bool DoNormalize { get; init; } = true;

    /// <summary>Per-channel (R, G, B) mean subtracted after rescaling.</summary>
    public IReadOnlyList<double> ImageMean { get; init; } = OpenAiClipMean;

    /// <summary>Per-channel (R, G, B) standard deviation divided by after subtracting the mean.</summary>
    public IReadOnlyList<double> ImageStd { get; init; } = OpenAiClipStd;

    /// <summary>PIL resampling filter number (<c>resample</c>); see <see cref="ResampleFilter"/> for the supported ones.</summary>
    public int Resample { get; init; } = (int)ResampleFilter.Bicubic;

    public bool DoConvertRgb { get; init; } = true;

    /// <summary>The filter <see cref="Resample"/> names; throws if Mining does not implement it.</summary>
    public ResampleFilter Filter => Resample switch
    {
        (int)ResampleFilter.Bilinear => ResampleFilter.Bilinear,
        (int)ResampleFilter.Bicubic => ResampleFilter.Bicubic,
        _ => throw new NotSupportedException($"resample {Resample} ({PilFilterName(Resample)}) is not supported; supported: 2 (bilinear), 3 (bicubic)"),
    };

    /// <summary>Reads a <c>preprocessor_config.json</c>; missing fields take <c>CLIPImageProcessor</c>'s defaults.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON or a field has a wrong type or an unsupported value; the message names the file and the field.</exception>
    public static PreprocessorConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read preprocessor config: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses <c>preprocessor_config.json</c> text; <paramref name="source"/> names it in error messages.</summary>
    public static PreprocessorConfig Parse(string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: malformed JSON: {e.Message}", e);
        }

        if (root is not JsonObject obj)
        {
            throw new InvalidDataException($"{source}: expected a JSON object at the top level");
        }

        var defaults = new PreprocessorConfig();
        var reader = new FieldReader(obj, source);
        var (cropHeight, cropWidth) = reader.CropSize(defaults.CropHeight, defaults.CropWidth);
        var config = new PreprocessorConfig
        {
            ShortestEdge = reader.ShortestEdge(defaults.ShortestEdge),
            CropHeight = cropHeight,
            CropWidth = cropWidth,
            DoResize = reader.Bool("do_resize", defaults.DoResize),
            DoCenterCrop = reader.Bool("do_center_crop", defaults.DoCenterCrop),
            DoRescale = reader.Bool("do_rescale", defaults.DoRescale),
            RescaleFactor = reader.PositiveDouble("rescale_factor", defaults.RescaleFactor),
            DoNormalize = reader.Bool("do_normalize", defaults.DoNormalize),
            ImageMean = reader.ChannelValues("image_mean", defaults.ImageMean, mustBePositive: false),
            ImageStd = reader.ChannelValues("image_std", defaults.ImageStd, mustBePositive: true),
            Resample = reader.Int("resample", defaults.Resample),
            DoConvertRgb = reader.Bool("do_convert_rgb", defaults.DoConvertRgb),
        };

        if (config.Resample is not ((int)ResampleFilter.Bilinear or (int)ResampleFilter.Bicubic))
        {
            throw new InvalidDataException(
                $"{source}: field 'resample' = {config.Resample} ({PilFilterName(config.Resample)}) is not supported; supported: 2 (bilinear), 3 (bicubic)");
        }

        return config;
    }

    /// <summary>The config as <c>preprocessor_config.json</c> text with HF's field names, for <c>CLIPImageProcessor</c> inside a <c>LlavaProcessor</c>.</summary>
    public string ToJson()
    {
        var obj = new JsonObject
        {
            ["crop_size"] = new JsonObject { ["height"] = CropHeight, ["width"] = CropWidth },
            ["do_center_crop"] = DoCenterCrop,
            ["do_convert_rgb"] = DoConvertRgb,
            ["do_normalize"] = DoNormalize,
            ["do_rescale"] = DoRescale,
            ["do_resize"] = DoResize,
            ["image_mean"] = new JsonArray(ImageMean.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
            ["image_processor_type"] = "CLIPImageProcessor",
            ["image_std"] = new JsonArray(ImageStd.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
            ["processor_class"] = "LlavaProcessor",
            ["resample"] = Resample,
            ["rescale_factor"] = RescaleFactor,
            ["size"] = new JsonObject { ["shortest_edge"] = ShortestEdge },
        };
        return obj.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            File.WriteAllText(path, ToJson(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path}: cannot write preprocessor config: {e.Message}", e);
        }
    }

    private static string PilFilterName(int resample) => resample switch
    {
        0 => "nearest",
        1 => "lanczos",
        2 => "bilinear",
        3 => "bicubic",
        4 => "box",
        5 => "hamming",
        _ => "unknown",
    };

    /// <summary>Typed access to the fields of one config object, with errors that name the file and the field.</summary>
    private sealed class FieldReader(JsonObject obj, string source)
    {
        public int ShortestEdge(int fallback)
        {
            var node = obj["size"];
            switch (node)
            {
                case null:
                    return fallback;

                // Old CLIPFeatureExtractor configs store "size": 224, which HF reads as the shortest edge.
                case JsonValue:
                    return PositiveInt(node, "size");
                case JsonObject size when size["shortest_edge"] is { } edge:
                    return PositiveInt(edge, "size.shortest_edge");
                default:
                    throw Invalid("size", "must be an integer or an object with 'shortest_edge' (fixed height/width resizing is not supported)");
            }
        }

        public (int Height, int Width) CropSize(int fallbackHeight, int fallbackWidth)
        {
            var node = obj["crop_size"];
            switch (node)
            {
                case null:
                    return (fallbackHeight, fallbackWidth);

                // Old configs store "crop_size": 224, which HF reads as a square crop.
                case JsonValue:
                    var side = PositiveInt(node, "crop_size");
                    return (side, side);
                case JsonObject crop when crop["height"] is { } height && crop["width"] is { } width:
                    return (PositiveInt(height, "crop_size.height"), PositiveInt(width, "crop_size.width"));
                default:
                    throw Invalid("crop_size", "must be an integer or an object with 'height' and 'width'");
            }
        }

        public bool Bool(string field, bool fallback)
        {
            var node = obj[field];
            if (node is null)
            {
                return fallback;
            }

            return node is JsonValue value && value.TryGetValue<bool>(out var result)
                ? result
                : throw Invalid(field, $"must be true or false, got {node.ToJsonString()}");
        }

        public int Int(string field, int fallback)
        {
            var node = obj[field];
            return node is null ? fallback : Integer(node, field);
        }

        public double PositiveDouble(string field, double fallback)
        {
            var node = obj[field];
            if (node is null)
            {
                return fallback;
            }

            var value = Number(node, field);
            return value > 0 ? value : throw Invalid(field, $"must be positive, got {Format(value)}");
        }

        public IReadOnlyList<double> ChannelValues(string field, IReadOnlyList<double> fallback, bool mustBePositive)
        {
            var node = obj[field];
            switch (node)
            {
                case null:
                    return fallback;

                // HF accepts one number for all channels.
                case JsonValue:
                    var single = Checked(Number(node, field), field, mustBePositive);
                    return [single, single, single];
                case JsonArray array when array.Count == 3:
                    return array.Select((item, i) => Checked(Number(item, $"{field}[{i}]"), $"{field}[{i}]", mustBePositive)).ToArray();
                default:
                    throw Invalid(field, $"must be a list of 3 numbers (R, G, B), got {node.ToJsonString()}");
            }
        }

        private double Checked(double value, string field, bool mustBePositive) =>
            !mustBePositive || value > 0 ? value : throw Invalid(field, $"must be positive, got {Format(value)}");

        private int PositiveInt(JsonNode node, string field)
        {
            var value = Integer(node, field);
            return value > 0 ? value : throw Invalid(field, $"must be a positive integer, got {value}");
        }

        private int Integer(JsonNode? node, string field) =>
            node is JsonValue value && value.TryGetValue<int>(out var result)
                ? result
                : throw Invalid(field, $"must be an integer, got {node?.ToJsonString() ?? "null"}");

        private double Number(JsonNode? node, string field) =>
            node is JsonValue value && value.TryGetValue<double>(out var result) && double.IsFinite(result)
                ? result
                : throw Invalid(field, $"must be a number, got {node?.ToJsonString() ?? "null"}");

        private InvalidDataException Invalid(string field, string problem) => new($"{source}: field '{field}' {problem}");

        private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}
