using Workbench.Formal.Errors;
using static TorchSharp.torch;

namespace Workbench.Experiments.Cli.Neural;

/// <summary>The --device option: auto (CUDA when libtorch sees a GPU, else CPU), cpu or cuda[:N].</summary>
internal static class DeviceChoice
{
    /// <summary>The libtorch device for an option value.</summary>
    /// <exception cref="WorkbenchException">CUDA was asked for but is not available, or the value is unknown.</exception>
    public static Device Resolve(string requested)
    {
        if (requested == "auto")
            return cuda.is_available() ? CUDA : CPU;
        if (requested == "cpu")
            return CPU;
        if (requested.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new WorkbenchException("--device cuda: libtorch sees no CUDA device (build with -p:WorkbenchTorchBackend=cuda on a machine with an NVIDIA driver; see docs/neural.md)");
            return new Device(requested);
        }
        throw new WorkbenchException(Invariant($"--device must be auto, cpu or cuda[:N], not '{requested}'"));
    }
}
