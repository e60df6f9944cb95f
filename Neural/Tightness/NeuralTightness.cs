using Workbench.Automata.Pfsa;
using Workbench.Formal.Estimation;
using Workbench.Formal.LanguageModels;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Tightness;

/// <summary>
/// Tightness of a neural LM (notes §3.1 P3.6, §5.1 P6.1–P6.2, §5.2 P6.5, §5.3 P7.1). A Heaviside Elman
/// network is decided exactly: it is the deterministic PFSA on its reachable hidden states (Lemma 5.2.1),
/// whose tightness is the PFSA criterion. Otherwise first the certificate: an
/// encoder norm bound B and the output layer give a floor f on p(EOS | ω) for every context; f &gt; 0 makes
/// P(|y| ≥ T) ≤ (1 − f)^T, so the model is tight. Failing that, a ReLU Elman network is checked for an
/// escape path (<see cref="ReluEscapeCertificate"/>), which proves mass leaks. Otherwise the verdict is
/// unknown. A Monte Carlo estimate of P(|y| ≥ T) is added as evidence either way.
/// </summary>
public static class NeuralTightness
{
    /// <summary>The most reachable hidden states explored before a Heaviside network falls back to the certificate.</summary>
    public const int ExtractionLimit = 1 << 16;

    /// <summary>
    /// The floor on p(EOS | ω) implied by ‖enc(ω)‖ ≤ B. Softmax: p(EOS) = 1/Σ_y exp(l_y − l_EOS) and
    /// l_y − l_EOS ≤ ‖e_y − e_EOS‖·B + b_y − b_EOS. Sparsemax: the threshold is at most z_max − 1/|Σ̄|, so
    /// p(EOS) ≥ 1/|Σ̄| − max_y(l_y − l_EOS), useful only when that is positive. Returns 0 when B = ∞.
    /// </summary>
    public static double EosFloor(SequenceModel network, double bound)
    {
        if (!double.IsFinite(bound))
            return 0;
        using var noGrad = no_grad();
        double[,] weights = Matrix(network.Readout.weight!);
        double[] bias = network.Readout.bias is { } b ? b.to(ScalarType.Float64).cpu().data<double>().ToArray() : new double[weights.GetLength(0)];
        int eos = network.Alphabet.Eos, width = weights.GetLength(1);
        var gaps = new double[weights.GetLength(0)];
        for (int y = 0; y < gaps.Length; y++)
        {
            double distance = 0;
            for (int j = 0; j < width; j++)
                distance += (weights[y, j] - weights[eos, j]) * (weights[y, j] - weights[eos, j]);
            gaps[y] = Math.Sqrt(distance) * bound + bias[y] - bias[eos];
        }
        return network.Architecture.Output == OutputProjection.Softmax
            ? 1 / gaps.Sum(Math.Exp)
            : Math.Max(0, 1.0 / gaps.Length - gaps.Max());
    }

    /// <summary>
    /// The full report. O(parameters) for the certificate, plus the Monte Carlo estimate of P(|y| ≥ T) that
    /// <paramref name="sampling"/> describes (its samples, cap and seed, so the report is reproducible and says how it was drawn).
    /// </summary>
    public static TightnessReport Analyze(NeuralLanguageModel model, TightnessSampling sampling)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        var (samples, length, seed) = (sampling.Samples, sampling.Length, sampling.Seed);
        SequenceModel network = model.Network;
        var evidence = new List<string>();
        if (network is ElmanNetwork { Architecture.Activation: Activation.Heaviside } heaviside)
        {
            try
            {
                var pfsa = Constructions.HeavisideExtraction.Extract(heaviside, ExtractionLimit);
                var exact = PfsaTightness.Analyze(pfsa);
                return exact with { Evidence = [Invariant($"a Heaviside network is the deterministic PFSA on its {pfsa.StateCount} reachable hidden states (Lemma 5.2.1)"), .. exact.Evidence] };
            }
            catch (Formal.Errors.InvalidModelException tooMany)
            {
                evidence.Add(Invariant($"no exact analysis: {tooMany.Message}"));
            }
        }
        NormBound bound = EncoderNormBound.Of(network);
        double floor = EosFloor(network, bound.Bound);
        evidence.Add(Invariant($"encoder bound B = {bound.Bound:G6}: {bound.Reason}"));
        Estimate leak = MonteCarlo.ProbabilityOfNotStopping(model, length, samples, seed);
        string monteCarlo = Invariant($"Monte Carlo: P(|y| ≥ {length}) ≈ {leak} ({samples} samples, seed {seed})");
        if (floor > 0)
        {
            evidence.Add(Invariant($"p(EOS | ω) ≥ f = {floor:G6} at every step ({network.Architecture.Output} output), so P(|y| ≥ T) ≤ (1 − f)^T → 0 (P2.5)"));
            evidence.Add(monteCarlo);
            return new TightnessReport(TightnessVerdict.Tight, 1, 1, 1, TightnessMethod.NormBoundCertificate, evidence);
        }
        evidence.Add(double.IsFinite(bound.Bound)
            ? Invariant($"the bound gives no positive floor on p(EOS | ω) ({network.Architecture.Output} output)")
            : "without a norm bound there is no floor on p(EOS | ω)");
        if (network is ElmanNetwork elman && ReluEscapeCertificate.Find(elman) is { } escape)
        {
            evidence.Add(escape.Explanation);
            evidence.Add(monteCarlo);
            double upper = 1 - escape.LeakLowerBound;
            return new TightnessReport(TightnessVerdict.NotTight, upper, 0, upper, TightnessMethod.NormBoundCertificate, evidence);
        }
        evidence.Add(monteCarlo);
        return new TightnessReport(TightnessVerdict.Unknown, 1 - leak.Value, 0, 1, TightnessMethod.MonteCarlo, evidence);
    }

    /// <summary>A 2-D tensor as a double matrix.</summary>
    internal static double[,] Matrix(Tensor matrix)
    {
        using var noGrad = no_grad();
        int rows = (int)matrix.shape[0], columns = (int)matrix.shape[1];
        double[] flat = matrix.to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        var result = new double[rows, columns];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }
}
