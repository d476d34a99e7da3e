import JitIR
import NativeCode

/// The hand-written x86-64 backend: a baseline compiler with linear-scan
/// register allocation that turns IR into machine code in microseconds.
public struct X86Backend: ExecutionEngine, Sendable {
    /// Registers the allocator may use; nil for all of them. Tests shrink it to force spilling.
    var allocatableRegisters: RegisterSet?

    public init() {}

    init(allocatableRegisters: RegisterSet?) {
        self.allocatableRegisters = allocatableRegisters
    }

    public var name: String { "x86" }

    public func compile(_ module: Module) throws -> any CompiledProgram {
        try compileProgram(module)
    }

    /// Like `compile`, with the concrete type (for code dumps and timings).
    public func compileProgram(_ module: Module) throws -> X86Program {
        let context = try NativeContext(memorySize: module.memorySize, guardBytes: module.guardBytes)
        let runtime = RuntimeAddresses(context)
        let clock = ContinuousClock()
        let start = clock.now
        let code = try ModuleCompiler.compile(module, runtime: runtime, allocatable: allocatableRegisters)
        let elapsed = clock.now - start
        let memory: ExecutableMemory
        do {
            memory = try ExecutableMemory(code: code.bytes)
        } catch {
            throw InternalError("x86: \(error)")
        }
        return X86Program(module: module, code: code, memory: memory, context: context, codegenTime: elapsed)
    }
}
