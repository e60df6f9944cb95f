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

    /// <summary>
    /// Checks an option's value when the command line is parsed: a value that fails <paramref name="valid"/> is a usage
    /// error naming the option and <paramref name="requirement"/> (exit 2), before any library code runs.
    /// </summary>
    public static Option<T> Requiring<T>(this Option<T> option, Func<T, bool> valid, string requirement)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<T>();
            if (!valid(value)) result.AddError($"{option.Name} {requirement} (got {Format(value)}).");
        });
        return option;
    }

    private static string Format<T>(T value) => value switch
    {
        null => "nothing",
        System.Collections.IEnumerable list and not string => string.Join(" ", list.Cast<object>().Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
