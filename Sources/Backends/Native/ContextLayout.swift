/// Byte offsets of the fields in the C-layout block `NativeContext.contextAddress`
/// points at. Native code (the trampolines, and backends if they wish) reads them
/// relative to the context pointer.
public enum ContextLayout {
    /// rsp saved by the entry trampoline; the trap hook restores it.
    public static let savedStackPointer: Int32 = 0
    /// The site index passed to the trap hook.
    public static let trapSite: Int32 = 8
    /// 1 after a trap, 0 after a normal return.
    public static let trapped: Int32 = 16
    /// Opaque pointer back to the `NativeContext` object (used by the I/O hooks).
    public static let owner: Int32 = 24
    /// `NativeContext.memoryBase`, for code that prefers loading it to embedding it.
    public static let memoryBase: Int32 = 32
    /// The lowest stack address native code may use before it must report
    /// `recursion_limit` (a safety margin above the real end of the stack).
    /// Compare with rsp at function entry: `cmp rsp, [ctx + stackLimit]; jb overflow`.
    public static let stackLimit: Int32 = 40
    /// How many more calls may start before the next one traps `recursion_limit`
    /// (`CallDepth.limit - 1` at entry). A call site subtracts 1 and traps on a borrow,
    /// and adds 1 back when the callee returns: `sub qword [ctx + callBudget], 1; jb trap`.
    /// The entry trampoline also hands it over in r14, for code that keeps it in a register;
    /// LLVM's entry wrappers read it and pass it on as a parameter.
    public static let callBudget: Int32 = 48
    /// The address of the instruction whose access faulted in a guard region, stored by the
    /// fault handler (see `GuardFaults`) before it resumes the thread in the trap hook.
    public static let faultAddress: Int32 = 56
    /// The trap-site index the fault handler passes to the trap hook: not a site of the code.
    public static let guardFaultSite: Int64 = -1
    /// Size of the block.
    static let size = 64
}
