using System.CommandLine;
using Mining.Kernels.Imaging;

namespace Mining.Client.Commands;

/// <summary>The <c>--image-aspect crop|pad</c> option.</summary>
internal static class ImageAspectOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--image-aspect")
        {
            Description = "crop: resize the shortest edge and centre-crop, as the reference mined (default); pad: pad to a square with the mean colour first, LLaVA-1.5's evaluation setting.",
            DefaultValueFactory = _ => ImageAspectNames.Name(ImageAspect.Crop),
        };
        option.AcceptOnlyFromAmong([.. ImageAspectNames.All]);
        return option;
    }

    public static ImageAspect Read(ParseResult result, Option<string> option) =>
        ImageAspectNames.TryParse(result.GetValue(option), out var aspect) ? aspect : throw new ArgumentException($"--image-aspect: {ImageAspectNames.Problem(result.GetValue(option))}");
}
