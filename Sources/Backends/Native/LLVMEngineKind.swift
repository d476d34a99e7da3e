/// Which LLVM JIT generates and holds the code. It lives here, beside the rest of what the
/// native backends share, so that the driver can name it without linking LLVM.
public enum LLVMEngineKind: String, Sendable, CaseIterable {
    /// ORC LLJIT, one per process, each program under its own resource tracker.
    case orc
    /// The older MCJIT, one execution engine per program.
    case mcjit
}
