using Workbench.Proofs.Theorems;

namespace Workbench.Proofs;

/// <summary>Every theorem of the catalogue (shared/reference/theorems.md) the workbench can check, in id order.</summary>
public static class TheoremCatalogue
{
    /// <summary>All implemented theorems.</summary>
    public static IReadOnlyList<Theorem> All { get; } =
    [
        P2_1_LocalNormalization.Theorem,
        P2_2_PrefixConsistency.Theorem,
        P2_3_NonTightModelsExist.Theorem,
        P2_4_TightnessCharacterization.Theorem,
        P2_5_SufficientConditionForTightness.Theorem,
        P3_1_SoftmaxIsRegularizedArgmax.Theorem,
        P3_3_SoftmaxHasFullSupport.Theorem,
        P3_4_SoftmaxShiftInvariance.Theorem,
        P3_5_SparsemaxIsProjection.Theorem,
        P3_6_SoftmaxEosFloor.Theorem,
        P3_7_GibbsInequality.Theorem,
        P3_8_MaximumLikelihoodIsCrossEntropy.Theorem,
        P3_9_MaximumLikelihoodIsRelativeFrequency.Theorem,
        P3_10_MaximumLikelihoodIsConsistent.Theorem,
        P3_11_Perplexity.Theorem,
        P3_12_ForwardAndReverseKl.Theorem,
        P3_13_LabelSmoothing.Theorem,
        P4_1_StringsumByMatrixProducts.Theorem,
        P4_2_AllsumClosedForm.Theorem,
        P4_3_DivergenceIsReported.Theorem,
        P4_4_WeightPushing.Theorem,
        P4_5_PfsaConditionals.Theorem,
        P4_6_PfsaTightness.Theorem,
        P4_7_NonDeterminismAddsPower.Theorem,
        P4_8_NGramsAreFiniteState.Theorem,
        P4_9_NGramTightness.Theorem,
        P4_10_NGramSupportIsStrictlyLocal.Theorem,
        P4_11_NeuralNGramIsFiniteState.Theorem,
        P4_12_GradientIsExpectedCounts.Theorem,
        P4_13_PfsaEntropyAndLength.Theorem,
        P5_1_TreesumIsLeastFixedPoint.Theorem,
        P5_2_PcfgTightnessByFixedPoint.Theorem,
        P5_3_BoothThompson.Theorem,
        P5_4_MaximumLikelihoodPcfgsAreTight.Theorem,
        P5_5_InsideAlgorithm.Theorem,
        P5_6_PcfgsArePushdownAutomata.Theorem,
        P5_7_ContextFreeBeatsFiniteState.Theorem,
        P5_9_DerivationalEntropy.Theorem,
        P5_10_PcfgPrefixProbabilities.Theorem,
        P6_1_BoundedRnnLmsAreTight.Theorem,
        P6_2_ReluRnnLmsCanLeak.Theorem,
        P6_3_GradientNormBound.Theorem,
        P6_4_ForgetGatesCarryGradients.Theorem,
        P6_5_HeavisideRnnsAreDeterministicPfsas.Theorem,
        P6_6_MinskyConstruction.Theorem,
        P6_7_HeavisideRnnsEqualDeterministicPfsas.Theorem,
        P6_8_CompactDfaRnns.Theorem,
        P6_9_StackRnnsSimulateTwoStackPdas.Theorem,
        P7_1_SoftAttentionTransformersAreTight.Theorem,
        P7_2_AttentionIsConvex.Theorem,
        P7_3_CausalMasking.Theorem,
        P7_4_NoPositionalEncodingIsPermutationInvariant.Theorem,
        P7_5_SinusoidalShiftIsRotation.Theorem,
        P7_6_LayerNorm.Theorem,
        P7_7_TransformersRepresentNGrams.Theorem,
        P7_8_SoftAttentionApproachesHard.Theorem,
        P8_1_BytePairEncoding.Theorem,
        P8_2_AncestralSamplingIsExact.Theorem,
        P8_3_TruncationAdapters.Theorem,
        P8_4_TemperatureLimits.Theorem,
        P8_5_LocallyTypicalSampling.Theorem,
        P8_6_AdaptedPfsas.Theorem,
        P8_7_BeamSearchAndTheMode.Theorem,
        P8_8_PushforwardPreservesMass.Theorem,
        P8_9_MarginalAtLeastCanonical.Theorem,
        P8_10_UnigramLattice.Theorem,
        P8_11_TransducerComposition.Theorem,
        P8_12_CanonicalityIsBigramLocal.Theorem,
    ];

    /// <summary>The theorem with this id (case-insensitive), or null.</summary>
    public static Theorem? Find(string id) =>
        All.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase));
}
