namespace Workbench.Formal.Semirings;

/// <summary>
/// A semiring (K, ⊕, ⊗, 0, 1) as C# generic math: ⊕ is associative and commutative with identity 0,
/// ⊗ is associative with identity 1, ⊗ distributes over ⊕, and 0 annihilates. Implementations are
/// small <c>readonly struct</c>s, so generic algorithms are specialised by the JIT per semiring.
/// Notes §4.1 (weighted automata are defined over semirings).
/// </summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
public interface ISemiring<TSelf> : IEquatable<TSelf> where TSelf : struct, ISemiring<TSelf>
{
    /// <summary>The additive identity 0, which also annihilates under ⊗.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>The multiplicative identity 1.</summary>
    static abstract TSelf One { get; }

    /// <summary>a ⊕ b. O(1).</summary>
    static abstract TSelf Add(TSelf left, TSelf right);

    /// <summary>a ⊗ b. O(1).</summary>
    static abstract TSelf Multiply(TSelf left, TSelf right);

    /// <summary>
    /// Whether two elements agree up to rounding: exact for discrete semirings, relative tolerance
    /// (with an absolute floor of the same size) for floating-point ones.
    /// </summary>
    static abstract bool AreClose(TSelf left, TSelf right, double tolerance);
}

/// <summary>
/// A semiring with a Kleene star a* = ⊕_{n≥0} aⁿ, satisfying a* = 1 ⊕ a ⊗ a* = 1 ⊕ a* ⊗ a wherever the
/// series converges. Outside that domain <see cref="TryStar"/> answers false: the workbench reports
/// divergence instead of returning a meaningless number (e.g. the Real star of x ≥ 1).
/// </summary>
public interface IClosedSemiring<TSelf> : ISemiring<TSelf> where TSelf : struct, IClosedSemiring<TSelf>
{
    /// <summary>Computes a* if the series converges in this semiring. O(1).</summary>
    static abstract bool TryStar(TSelf value, out TSelf star);
}
