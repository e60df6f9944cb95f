using System.CommandLine;

namespace Workbench.Experiments.Cli;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    /// <summary>--json: print one JSON object on stdout instead of tables.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object on stdout instead of tables." };

    /// <summary>--seed: the random seed (drawn and printed when not given).</summary>
    public static Option<int?> Seed() => new("--seed") { Description = "Random seed; a fresh one is drawn and printed when omitted." };

    /// <summary>The seed to use: the given one or a fresh draw.</summary>
    public static int Resolve(int? seed) => seed ?? Random.Shared.Next();
}
