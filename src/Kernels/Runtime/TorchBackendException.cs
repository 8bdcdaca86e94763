namespace Mining.Kernels.Runtime;

/// <summary>The TorchSharp native backend is missing, cannot load, or cannot provide the requested device or dtype.</summary>
public sealed class TorchBackendException(string message, Exception? inner = null) : Exception(message, inner);
