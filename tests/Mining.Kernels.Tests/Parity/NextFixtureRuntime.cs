using Mining.Kernels.Imaging;
using Mining.Kernels.IO;
using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Parity;

/// <summary>The LLaVA-NeXT fixture checkpoint (llava-next-tiny-ref) loaded once for a test class.</summary>
public sealed class NextFixtureRuntime : IDisposable
{
    public NextFixtureRuntime()
    {
        Runtime = LlavaRuntime.Load(TestData.NextFixtureModel);
        Preprocessor = new ImagePreprocessor(Runtime.Preprocessor);
    }

    public static readonly string[] ImageNames = ["chelsea", "camera", "coffee84"];

    public LlavaRuntime Runtime { get; }

    public ImagePreprocessor Preprocessor { get; }

    /// <summary>Encodes a fixture image from the pixel values the fixture stored, so this stage is tested on its own.</summary>
    public EncodedImage EncodeFixturePixels(string name) =>
        Runtime.Encode(NpyFile.Read(TestData.NextFixtureArray($"{name}.pixel_values.npy")).ToFloat32());

    /// <summary>Encodes a fixture image from its PNG through Mining's own preprocessing.</summary>
    public EncodedImage EncodeFromFile(string name) =>
        Runtime.Encode(Preprocessor.Preprocess(ImageDecoder.Decode(TestData.NextFixtureImage($"{name}.png"))).PixelValues);

    public void Dispose() => Runtime.Dispose();
}
