Mining.Kernels.Runtime.TorchRuntime.EnsureLoaded();
Console.WriteLine(TorchSharp.torch.__version__);
