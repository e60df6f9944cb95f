using FsCheck;
using FsCheck.Fluent;

namespace Workbench.Proofs;

/// <summary>
/// A checkable result of the notes: its catalogue id (e.g. "P2.3"), a plain-language statement, where it
/// is in the notes, and an FsCheck property over randomly generated instances.
/// </summary>
public sealed record Theorem
{
    private readonly Func<Property> _property;

    private Theorem(string id, string statement, string reference, int defaultTrials, Func<Property> property)
    {
        Id = id;
        Statement = statement;
        Reference = reference;
        DefaultTrials = defaultTrials;
        _property = property;
    }

    /// <summary>The id in shared/reference/theorems.md, e.g. "P2.3".</summary>
    public string Id { get; }

    /// <summary>What the theorem says, in plain language.</summary>
    public string Statement { get; }

    /// <summary>Where it is in the notes (chapter/section), e.g. "§2.5.4".</summary>
    public string Reference { get; }

    /// <summary>How many random instances a check uses unless told otherwise.</summary>
    public int DefaultTrials { get; }

    /// <summary>The FsCheck property: the check applied to every generated instance.</summary>
    public Property Property() => _property();

    /// <summary>
    /// A theorem whose check runs on instances drawn from <paramref name="instances"/> (with its shrinker,
    /// so a failure is reported on a small counterexample). The check throws
    /// <see cref="TheoremViolation"/> with the reason when an instance breaks the statement.
    /// </summary>
    public static Theorem ForAll<TInstance>(string id, string statement, string reference, Arbitrary<TInstance> instances, Action<TInstance> check, int defaultTrials = 100) =>
        new(id, statement, reference, defaultTrials, () => Prop.ForAll(instances, check));

    /// <inheritdoc />
    public override string ToString() => $"{Id}: {Statement}";
}
