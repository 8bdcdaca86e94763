using Mining.Kernels.Imaging;
using Mining.Kernels.IO;
using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Parity;

/// <summary>The fixture checkpoint loaded once for a test class, with helpers to encode its three images.</summary>
public sealed class FixtureRuntime : IDisposable
{
    public FixtureRuntime()
    {
        Runtime = LlavaRuntime.Load(TestData.FixtureModel);
        Preprocessor = new ImagePreprocessor(Runtime.Preprocessor);
    }

    public static readonly string[] ImageNames = ["chelsea", "camera", "coffee84"];

    public LlavaRuntime Runtime { get; }

    public ImagePreprocessor Preprocessor { get; }

    /// <summary>Encodes a fixture image from its pixel values as the fixture stored them, so this stage is tested on its own.</summary>
    public EncodedImage EncodeFixturePixels(string name) =>
        Runtime.Encode(NpyFile.Read(TestData.FixtureArray($"{name}.pixel_values.npy")).ToFloat32());

    /// <summary>Encodes a fixture image from its PNG through Mining's own preprocessing.</summary>
    public EncodedImage EncodeFromFile(string name) =>
        Runtime.Encode(Preprocessor.Preprocess(ImageDecoder.Decode(TestData.FixtureImage($"{name}.png"))).PixelValues);

    public void Dispose() => Runtime.Dispose();
}
