namespace Mining.Kernels.Checkpoints;

/// <summary>A checkpoint file (config.json, safetensors, index) is missing, malformed or describes a model Mining cannot run; the message names the file and the problem.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);
