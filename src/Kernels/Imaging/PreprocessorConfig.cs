using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mining.Kernels.Checkpoints;

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

    /// <summary>
    /// <c>size</c> as {height, width}: resize to exactly that (a squash, no aspect kept), as LLaVA-OneVision's
    /// <c>LlavaOnevisionImageProcessor</c> does for its base view; null when <c>size</c> gives the shortest edge.
    /// </summary>
    public (int Height, int Width)? FixedSize { get; init; }

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

        // A field written as null takes the default, as a missing one does.
        foreach (var key in obj.Where(field => field.Value is null).Select(field => field.Key).ToList())
        {
            obj.Remove(key);
        }

        var defaults = new PreprocessorConfig();
        var fields = new ConfigSection(obj, source, "", message => new InvalidDataException(message));
        var (cropHeight, cropWidth) = CropSizeOf(fields, defaults.CropHeight, defaults.CropWidth);
        var fixedSize = FixedSizeOf(fields);
        var config = new PreprocessorConfig
        {
            ShortestEdge = fixedSize is null ? ShortestEdgeOf(fields, defaults.ShortestEdge) : defaults.ShortestEdge,
            FixedSize = fixedSize,
            CropHeight = cropHeight,
            CropWidth = cropWidth,
            DoResize = fields.Bool("do_resize", defaults.DoResize),
            // A {height, width} processor (LlavaOnevisionImageProcessor) has no centre crop unless the file asks for one.
            DoCenterCrop = fields.Bool("do_center_crop", fixedSize is null && defaults.DoCenterCrop),
            DoRescale = fields.Bool("do_rescale", defaults.DoRescale),
            RescaleFactor = Positive(fields, "rescale_factor", fields.Number("rescale_factor", defaults.RescaleFactor)),
            DoNormalize = fields.Bool("do_normalize", defaults.DoNormalize),
            ImageMean = ChannelValues(fields, "image_mean", defaults.ImageMean, mustBePositive: false),
            ImageStd = ChannelValues(fields, "image_std", defaults.ImageStd, mustBePositive: true),
            Resample = fields.Int("resample", defaults.Resample),
            DoConvertRgb = fields.Bool("do_convert_rgb", defaults.DoConvertRgb),
        };

        if (config.Resample is not ((int)ResampleFilter.Bilinear or (int)ResampleFilter.Bicubic))
        {
            throw new InvalidDataException(
                $"{source}: field 'resample' = {config.Resample} ({PilFilterName(config.Resample)}) is not supported; supported: 2 (bilinear), 3 (bicubic)");
        }

        return config;
    }

    /// <summary>
    /// The config as <c>preprocessor_config.json</c> text with HF's field names: for <c>CLIPImageProcessor</c> inside a
    /// <c>LlavaProcessor</c>, or, with a <see cref="FixedSize"/>, for <c>LlavaOnevisionImageProcessor</c>.
    /// </summary>
    public string ToJson()
    {
        if (FixedSize is { } size)
        {
            var fixedSize = new JsonObject
            {
                ["do_convert_rgb"] = DoConvertRgb,
                ["do_normalize"] = DoNormalize,
                ["do_rescale"] = DoRescale,
                ["do_resize"] = DoResize,
                ["image_mean"] = new JsonArray(ImageMean.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
                ["image_processor_type"] = "LlavaOnevisionImageProcessor",
                ["image_std"] = new JsonArray(ImageStd.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
                ["processor_class"] = "LlavaOnevisionProcessor",
                ["resample"] = Resample,
                ["rescale_factor"] = RescaleFactor,
                ["size"] = new JsonObject { ["height"] = size.Height, ["width"] = size.Width },
            };
            if (DoCenterCrop)
            {
                fixedSize["do_center_crop"] = true;
                fixedSize["crop_size"] = new JsonObject { ["height"] = CropHeight, ["width"] = CropWidth };
            }

            return fixedSize.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        }

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

    private static int ShortestEdgeOf(ConfigSection fields, int fallback)
    {
        switch (fields.Node("size"))
        {
            case null:
                return fallback;

            // Old CLIPFeatureExtractor configs store "size": 224, which HF reads as the shortest edge.
            case JsonValue:
                return fields.PositiveInt("size", fallback);
            case JsonObject size when size["shortest_edge"] is not null:
                return fields.Section("size")!.PositiveInt("shortest_edge", fallback);
            default:
                throw fields.Fail("size", "must be an integer, an object with 'shortest_edge', or an object with 'height' and 'width'");
        }
    }

    /// <summary><c>size</c> {height, width} without <c>shortest_edge</c>: the fixed output size; null otherwise.</summary>
    private static (int Height, int Width)? FixedSizeOf(ConfigSection fields)
    {
        if (fields.Node("size") is not JsonObject size || size["shortest_edge"] is not null || (size["height"] is null && size["width"] is null))
        {
            return null;
        }

        if (size["height"] is null || size["width"] is null)
        {
            throw fields.Fail("size", "gives only one of 'height' and 'width'; a fixed-size resize needs both");
        }

        var section = fields.Section("size")!;
        return (section.PositiveInt("height", 1), section.PositiveInt("width", 1));
    }

    private static (int Height, int Width) CropSizeOf(ConfigSection fields, int fallbackHeight, int fallbackWidth)
    {
        switch (fields.Node("crop_size"))
        {
            case null:
                return (fallbackHeight, fallbackWidth);

            // Old configs store "crop_size": 224, which HF reads as a square crop.
            case JsonValue:
                var side = fields.PositiveInt("crop_size", fallbackHeight);
                return (side, side);
            case JsonObject crop when crop["height"] is not null && crop["width"] is not null:
                var section = fields.Section("crop_size")!;
                return (section.PositiveInt("height", fallbackHeight), section.PositiveInt("width", fallbackWidth));
            default:
                throw fields.Fail("crop_size", "must be an integer or an object with 'height' and 'width'");
        }
    }

    private static IReadOnlyList<double> ChannelValues(ConfigSection fields, string field, IReadOnlyList<double> fallback, bool mustBePositive)
    {
        double Checked(JsonNode? item, string name)
        {
            var value = fields.Number(item, name);
            return mustBePositive ? Positive(fields, name, value) : value;
        }

        var node = fields.Node(field);
        switch (node)
        {
            case null:
                return fallback;

            // HF accepts one number for all channels.
            case JsonValue:
                var single = Checked(node, field);
                return [single, single, single];
            case JsonArray array when array.Count == 3:
                return array.Select((item, i) => Checked(item, $"{field}[{i}]")).ToArray();
            default:
                throw fields.Fail(field, $"must be a list of 3 numbers (R, G, B), got {ConfigSection.Show(node)}");
        }
    }

    private static double Positive(ConfigSection fields, string field, double value) =>
        value > 0 ? value : throw fields.Fail(field, $"must be positive, got {ConfigSection.Format(value)}");
}
