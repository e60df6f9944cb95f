using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Workbench.Formal.Semirings;

namespace Workbench.Formal.Tests.Semirings;

/// <summary>
/// The semiring axioms as FsCheck properties, inherited by one concrete class per semiring. FsCheck.Xunit
/// prints the replay seed of any failure.
/// </summary>
public abstract class SemiringAxioms<T> where T : struct, IClosedSemiring<T>
{
    protected abstract Arbitrary<T> Elements { get; }

    protected virtual double Tolerance => 1e-12;

    private bool Close(T a, T b) => T.AreClose(a, b, Tolerance);

    [Property(MaxTest = 500)]
    public Property Addition_is_associative() =>
        Prop.ForAll(Elements, Elements, Elements, (a, b, c) => Close(T.Add(T.Add(a, b), c), T.Add(a, T.Add(b, c))));

    [Property(MaxTest = 500)]
    public Property Addition_is_commutative() =>
        Prop.ForAll(Elements, Elements, (a, b) => Close(T.Add(a, b), T.Add(b, a)));

    [Property(MaxTest = 500)]
    public Property Multiplication_is_associative() =>
        Prop.ForAll(Elements, Elements, Elements, (a, b, c) => Close(T.Multiply(T.Multiply(a, b), c), T.Multiply(a, T.Multiply(b, c))));

    [Property(MaxTest = 500)]
    public Property Multiplication_distributes_over_addition_on_both_sides() =>
        Prop.ForAll(Elements, Elements, Elements, (a, b, c) =>
            Close(T.Multiply(a, T.Add(b, c)), T.Add(T.Multiply(a, b), T.Multiply(a, c)))
            && Close(T.Multiply(T.Add(b, c), a), T.Add(T.Multiply(b, a), T.Multiply(c, a))));

    [Property(MaxTest = 500)]
    public Property Zero_and_one_are_identities() =>
        Prop.ForAll(Elements, a =>
            Close(T.Add(a, T.Zero), a) && Close(T.Add(T.Zero, a), a)
            && Close(T.Multiply(a, T.One), a) && Close(T.Multiply(T.One, a), a));

    [Property(MaxTest = 500)]
    public Property Zero_annihilates() =>
        Prop.ForAll(Elements, a => T.Multiply(a, T.Zero).Equals(T.Zero) && T.Multiply(T.Zero, a).Equals(T.Zero));

    [Property(MaxTest = 500)]
    public Property Star_satisfies_the_fixed_point_equations_where_it_converges() =>
        Prop.ForAll(Elements, a =>
            !T.TryStar(a, out var star)
            || (Close(star, T.Add(T.One, T.Multiply(a, star))) && Close(star, T.Add(T.One, T.Multiply(star, a)))));

    [Fact]
    public void Star_of_zero_is_one() => Assert.True(Close(Semiring.Star(T.Zero), T.One));
}

internal static class SemiringGen
{
    public static Gen<double> Between(double lo, double hi) =>
        Gen.Choose(0, 1_000_000).Select(i => lo + (hi - lo) * i / 1_000_000.0);
}

public sealed class BooleanAxioms : SemiringAxioms<Workbench.Formal.Semirings.Boolean>
{
    protected override Arbitrary<Workbench.Formal.Semirings.Boolean> Elements =>
        Arb.From(Gen.Elements(false, true).Select(b => new Workbench.Formal.Semirings.Boolean(b)));
}

public sealed class RealAxioms : SemiringAxioms<Real>
{
    protected override Arbitrary<Real> Elements =>
        Arb.From(Gen.OneOf(SemiringGen.Between(-10, 10), SemiringGen.Between(-1, 1), Gen.Elements(0.0, 1.0, -1.0)).Select(x => new Real(x)));
}

public sealed class LogAxioms : SemiringAxioms<Log>
{
    protected override Arbitrary<Log> Elements =>
        Arb.From(Gen.OneOf(SemiringGen.Between(-30, 5), SemiringGen.Between(-1, 0), Gen.Constant(double.NegativeInfinity)).Select(x => new Log(x)));
}

public sealed class TropicalAxioms : SemiringAxioms<Tropical>
{
    protected override Arbitrary<Tropical> Elements =>
        Arb.From(Gen.OneOf(SemiringGen.Between(-10, 10), Gen.Constant(double.PositiveInfinity), Gen.Constant(0.0)).Select(x => new Tropical(x)));
}

public sealed class MaxTimesAxioms : SemiringAxioms<MaxTimes>
{
    protected override Arbitrary<MaxTimes> Elements =>
        Arb.From(Gen.OneOf(SemiringGen.Between(0, 10), SemiringGen.Between(0, 1), Gen.Constant(0.0)).Select(x => new MaxTimes(x)));
}

public sealed class ExpectationAxioms : SemiringAxioms<Expectation>
{
    protected override Arbitrary<Expectation> Elements =>
        Arb.From(
            from p in Gen.OneOf(SemiringGen.Between(-2, 2), SemiringGen.Between(-1, 1))
            from r in SemiringGen.Between(-2, 2)
            select new Expectation(p, r));
}

public sealed class CountingAxioms : SemiringAxioms<Counting>
{
    protected override Arbitrary<Counting> Elements =>
        Arb.From(Gen.OneOf(Gen.Choose(0, 1000).Select(n => Counting.Of(n)), Gen.Constant(Counting.Infinity), Gen.Constant(Counting.Zero)));
}

public sealed class RationalAxioms : SemiringAxioms<Rational>
{
    protected override Arbitrary<Rational> Elements =>
        Arb.From(
            from numerator in Gen.Choose(-20, 20)
            from denominator in Gen.Choose(1, 12)
            select Rational.Of(numerator, denominator));
}
