using Workbench.Formal.LanguageModels;

namespace Workbench.Experiments.Languages;

/// <summary>Where a language sits in the Chomsky hierarchy (Delétang et al. 2023's levels).</summary>
public enum ChomskyLevel
{
    /// <summary>Regular: recognised by a finite automaton.</summary>
    Regular,

    /// <summary>Context-free (deterministic context-free for every language here).</summary>
    ContextFree,

    /// <summary>Beyond context-free: context-sensitive.</summary>
    ContextSensitive,
}

/// <summary>
/// A formal language with an exact distribution over its strings: the LM (exact string probabilities,
/// next-symbol distributions, samples), a recogniser written independently of it, its Chomsky level and
/// the exact entropy of the distribution (nats per string), so that KL = cross-entropy − entropy.
/// </summary>
/// <param name="Name">The name used in experiment specs, e.g. "parity" or "dyck-2".</param>
/// <param name="Level">The Chomsky level of the support.</param>
/// <param name="Description">The language and its generative process in words.</param>
/// <param name="Model">The exact LM; its support is the language.</param>
/// <param name="Accepts">Membership, decided without the LM.</param>
/// <param name="Entropy">H(p) in nats, exact (closed form, PFSA or unambiguous-grammar computation); null when no exact value is known (a grammar file, which may be ambiguous).</param>
/// <param name="Draw">
/// An exact sampler (the fastest the model allows: ancestral for automata and processes, top-down for
/// grammars): one string of at most the given length, or null when the draw is longer.
/// </param>
/// <param name="LengthSampler">Exact draws from p(y | |y| = n), without rejection: what fills the length bins of an evaluation.</param>
public sealed record FormalLanguage(string Name, ChomskyLevel Level, string Description, ILanguageModel Model, Func<int[], bool> Accepts, double? Entropy, Func<Random, int, int[]?> Draw,
    Formal.Generation.ILengthConditionedSampler LengthSampler)
{
    /// <summary>The deterministic PFSA behind a regular language's LM (null for the others): what a constructed baseline compiles.</summary>
    public Automata.Core.Wfsa<Formal.Semirings.Real>? Automaton { get; init; }

    /// <summary>A language whose samples are drawn ancestrally from its autoregressive model.</summary>
    public static FormalLanguage Autoregressive<TState>(string name, ChomskyLevel level, string description, IAutoregressiveLanguageModel<TState> model, Func<int[], bool> accepts, double? entropy,
        Formal.Generation.ILengthConditionedSampler lengthSampler) =>
        new(name, level, description, model, accepts, entropy, (random, maxLength) =>
            Formal.Generation.AncestralSampler.Sample(model, random, maxLength) is { Truncated: false } sample ? sample.Symbols : null, lengthSampler);

    /// <inheritdoc />
    public override string ToString() => Invariant($"{Name} ({Level}): {Description}");
}
