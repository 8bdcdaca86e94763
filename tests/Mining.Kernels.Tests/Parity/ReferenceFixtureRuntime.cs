using Mining.Kernels.Imaging;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Kernels.Tests.Experiments;
using Mining.Kernels.Tests.Text;

namespace Mining.Kernels.Tests.Parity;

/// <summary>A family's reference fixture (tests/fixtures/&lt;name&gt;) with its checkpoint loaded once for a test class.</summary>
public abstract class ReferenceFixtureRuntime : IDisposable
{
    protected ReferenceFixtureRuntime(string folder)
    {
        Folder = folder;
        Runtime = LlavaRuntime.Load(Path.Combine(folder, "model"));
        Preprocessor = new ImagePreprocessor(Runtime.Preprocessor);
    }

    /// <summary>The three images every family fixture holds.</summary>
    public static readonly string[] ImageNames = ["chelsea", "camera", "coffee84"];

    public string Folder { get; }

    public LlavaRuntime Runtime { get; }

    public ImagePreprocessor Preprocessor { get; }

    internal abstract ExpectedExperiments Expected { get; }

    internal abstract ReferenceTokenization Tokenization { get; }

    public string Array(string name) => Path.Combine(Folder, "arrays", name);

    public string ImagePath(string name) => Path.Combine(Folder, "images", name);

    /// <summary>Encodes a fixture image from the pixel values the fixture stored, so this stage is tested on its own.</summary>
    public EncodedImage EncodeFixturePixels(string name) =>
        Runtime.Encode(NpyFile.Read(Array($"{name}.pixel_values.npy")).ToFloat32());

    /// <summary>Encodes a fixture image from its PNG through Mining's own preprocessing.</summary>
    public EncodedImage EncodeFromFile(string name) =>
        Runtime.Encode(Preprocessor.Preprocess(ImageDecoder.Decode(ImagePath($"{name}.png"))).PixelValues);

    public void Dispose()
    {
        Runtime.Dispose();
        GC.SuppressFinalize(this);
    }
}
