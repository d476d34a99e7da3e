import JitCtl

/// The seeded generator every random test uses: the fuzzer's SplitMix64, so that every
/// random test repeats exactly from its seed.
public typealias SeededGenerator = FuzzRandom
