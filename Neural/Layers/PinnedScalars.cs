using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Neural.Layers;

/// <summary>
/// Scalars kept alive for the whole process. TorchSharp passes a Scalar's native handle to libtorch and then holds no
/// reference to the managed object, so a temporary Scalar made by an implicit conversion (the alpha of <c>a + b</c>, the
/// 0 of <c>x.gt(0)</c>) can be finalised by the garbage collector while libtorch still reads it: a rare failure inside
/// <c>c10::Scalar::toDouble</c> under GC pressure, seen once in CI in P6.8 after millions of Heaviside steps. The
/// per-step paths of the networks use these instead.
/// </summary>
internal static class PinnedScalars
{
    /// <summary>0.</summary>
    public static readonly Scalar Zero = 0.0.ToScalar();

    /// <summary>1.</summary>
    public static readonly Scalar One = 1.0.ToScalar();
}
