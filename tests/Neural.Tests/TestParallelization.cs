// libtorch's random generator is process-wide: a test that seeds it (torch.manual_seed) and then builds or trains a
// network must not interleave with another test doing the same, or initial weights — and with them the bitwise
// resume and shard checks — depend on scheduling. The tests of this assembly therefore run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
