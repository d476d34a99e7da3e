/// The reference interpreter: the engine whose behaviour defines what an IR
/// program means. The native backends are tested against it.
///
///     let program = try Interpreter().compile(module)
///     let result = try program.run("main", io: ProgramIO())
///
/// It decodes the module once into a compact instruction array and runs it
/// with its own heap-allocated call stack, so recursion depth is bounded by
/// `maxCallDepth` (trap `recursion_limit`), never by the native stack.
public struct Interpreter: ExecutionEngine, Sendable {
    public var name: String { "interp" }
    /// The most function activations that may be live at once; a call beyond traps `recursion_limit`.
    public var maxCallDepth: Int
    /// The most bytes of registers, over all live activations; a call beyond traps `recursion_limit`.
    public var maxFrameMemory: Int
    /// Whether to use specialised and fused instructions. With `false` every data
    /// operation goes through `Semantics` — slower, and useful to cross-check the fast paths.
    public var specializes: Bool

    /// An interpreter with the given limits and fast paths on or off. The default
    /// depth is the IR's rule (`CallDepth.limit`); tests may raise it to exercise the
    /// interpreter's own stack. The default register memory is 1 GiB.
    public init(maxCallDepth: Int = CallDepth.limit, maxFrameMemory: Int = 1 << 30, specializes: Bool = true) {
        self.maxCallDepth = maxCallDepth
        self.maxFrameMemory = maxFrameMemory
        self.specializes = specializes
    }

    /// Decodes `module`. Throws a `SourceError` for a module the interpreter
    /// cannot run: an undeclared register, a branch to a missing block, a call to
    /// a missing function or with the wrong number of arguments.
    public func compile(_ module: Module) throws -> any CompiledProgram {
        try InterpretedProgram(module: module, engine: self)
    }
}
