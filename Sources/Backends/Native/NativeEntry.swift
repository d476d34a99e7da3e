import JitIR

/// What it takes to call one compiled function directly, on the caller's thread, without the
/// per-call thread, argument arrays and `RunResult` of `CompiledProgram.run`: for embedders
/// (the C ABI) whose calls must cost nanoseconds. The caller enters `code` through
/// `NativeContext.entryTrampolineAddress` with `context.contextAddress`, after writing the call
/// budget and stack limit into the context block (`ContextLayout`); a trap returns there with
/// `ContextLayout.trapped` set and the index into `sites` in `ContextLayout.trapSite`.
///
/// The compiled program that made the entry must outlive every call through it.
public struct NativeEntry: @unchecked Sendable {
    // @unchecked: `code` is an address into code pages that the program keeps immutable.

    /// The function's code (C ABI, int64 arguments in registers, int64 result).
    public let code: UnsafeRawPointer
    /// The context the code was compiled against.
    public let context: NativeContext
    /// How many int64 parameters the function takes.
    public let arity: Int
    /// When true, `code` takes one argument: the address of an array of the `arity` int64
    /// arguments (functions of more than `NativeContext.maxArguments` parameters).
    public let argumentsByPointer: Bool
    /// What each trap-site index means.
    public let sites: [Trap]
    /// The most stack an activation may use without checking the stack limit (0: every
    /// activation that could recurse checks it). `NativeContext.call` runs on a stack big enough
    /// for `CallDepth.limit` such activations; a caller that runs the code on a smaller stack must
    /// lower the call budget to what fits.
    public let uncheckedFrameBytes: Int

    public init(code: UnsafeRawPointer, context: NativeContext, arity: Int, argumentsByPointer: Bool, sites: [Trap],
                uncheckedFrameBytes: Int) {
        self.code = code
        self.context = context
        self.arity = arity
        self.argumentsByPointer = argumentsByPointer
        self.sites = sites
        self.uncheckedFrameBytes = uncheckedFrameBytes
    }
}

/// A compiled program whose int64 functions can be entered directly (`DirectCall`).
public protocol DirectlyCallable: CompiledProgram {
    /// The direct entry of function `name`, or nil when it has none (see `NativeEntry`).
    func nativeEntry(_ name: String) -> NativeEntry?
}
