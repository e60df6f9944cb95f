using System.Diagnostics;
using Workbench.Automata.Tokenization;

namespace Workbench.Experiments.Cli.Bench;

/// <summary>
/// BPE training time and encoding throughput on a corpus, with the process's peak memory: the workbench's side of the
/// comparison with HuggingFace tokenizers (bench/tokenizers-anchor.mjs runs the library on the same file). Encoding runs
/// on every core, as the library's batch encoder does.
/// </summary>
internal static class TokenizerBenchmark
{
    /// <summary>The figures of one run.</summary>
    internal sealed record Outcome(long Characters, int Lines, int VocabularySize, int Merges, double TrainingSeconds, double EncodingSeconds, long Tokens, double MegabytesPerSecond, double PeakWorkingSetMegabytes);

    public static Outcome Run(string[] lines, int vocabularySize, BaseUnits units, PreTokenization preTokenization, Action<string> progress)
    {
        var characters = lines.Sum(l => (long)l.Length + 1);
        progress($"training on {lines.Length} lines ({characters / 1e6:F1} M characters) to |V| = {vocabularySize}");
        var watch = Stopwatch.StartNew();
        var trained = BpeTrainer.Train(lines, vocabularySize, units, preTokenization, (done, wanted) => { if (done % Math.Max(1, wanted / 4) == 0) progress($"merges {done}/{wanted}"); });
        var training = watch.Elapsed.TotalSeconds;
        progress("encoding");
        watch.Restart();
        long tokens = 0;
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, lines.Length, 4096), range =>
        {
            long local = 0;
            for (var i = range.Item1; i < range.Item2; i++) local += trained.Tokenizer.Encode(lines[i]).Length;
            Interlocked.Add(ref tokens, local);
        });
        var encoding = watch.Elapsed.TotalSeconds;
        var bytes = lines.Sum(l => (long)System.Text.Encoding.UTF8.GetByteCount(l) + 1);
        return new Outcome(characters, lines.Length, trained.Tokenizer.VocabularySize, trained.History.Count, training, encoding, tokens,
            bytes / 1e6 / encoding, Process.GetCurrentProcess().PeakWorkingSet64 / 1e6);
    }
}
