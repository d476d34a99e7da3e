import BFFrontend
import BytecodeFrontend
import JitIR
import NativeCode

/// A module compiled by one backend, ready to be called and run any number of times.
///
///     import JitCtl
///
///     var b = FunctionBuilder(name: "square", parameters: [.i64], result: .i64)
///     b.ret(.reg(b.binary(.mul, .i64, .reg(b.parameter(0)), .reg(b.parameter(0)))))
///     let square = try CompiledModule(Module(sourceFile: "square", functions: [b.finish()]), backend: .llvm)
///     let f: (Int64) throws -> Int64 = try square.function("square")
///     print(try f(12))   // 144
///
/// A trap (an overflow, a division by zero, an access off the memory, recursion too deep) is
/// thrown as a `Trap`, with its kind and source position; the process is never killed. One
/// compiled module runs one call at a time: give each thread its own.
///
/// On x86 and LLVM, the closures `function` returns enter the code directly on the calling
/// thread (`DirectCall`), at the cost of a C call. Recursion is then limited by that thread's
/// stack as well as by the IR's depth limit: deep recursion on a small stack (a Swift task's is
/// 512 KiB) traps sooner. `call` and `run` run on a thread of their own with the IR's full depth.
public final class CompiledModule {
    /// The verified module that was compiled.
    public let module: Module
    public let backend: BackendKind
    private let program: any CompiledProgram
    /// `DirectCall` blocks of the functions that have a direct entry.
    private let directBlocks: [String: UnsafeMutableRawPointer]
    /// The program's trap sites, and the status `DirectCall` returns for each.
    private let directSites: [Trap]
    private let siteStatuses: UnsafeMutablePointer<Int32>

    /// Compiles `module`, which is verified first (an invalid module is a `VerificationError`).
    public init(_ module: Module, backend: BackendKind = .x86, options: BackendOptions = BackendOptions()) throws {
        try IRVerifier.verify(module)
        self.module = module
        self.backend = backend
        program = try backend.makeEngine(options).compile(module)
        var entries: [String: NativeEntry] = [:]
        if let callable = program as? any DirectlyCallable {
            for f in module.functions { entries[f.name] = callable.nativeEntry(f.name) }
        }
        // Every entry of a program shares its one table of trap sites.
        directSites = entries.first?.value.sites ?? []
        siteStatuses = .allocate(capacity: max(1, directSites.count))
        for (k, trap) in directSites.enumerated() { siteStatuses[k] = trap.kind.exitStatus }
        let statuses = siteStatuses
        directBlocks = entries.mapValues { DirectCall.makeBlock($0, siteStatuses: statuses) }
    }

    deinit {
        directBlocks.values.forEach(DirectCall.free)
        siteStatuses.deallocate()
    }

    /// Compiles a program lowered by `Pipeline`.
    public convenience init(_ program: LoweredProgram, backend: BackendKind = .x86,
                            options: BackendOptions = BackendOptions()) throws {
        try self.init(program.module, backend: backend, options: options)
    }

    /// Compiles Brainfuck source text; `file` is the name its errors and traps give.
    public convenience init(brainfuck source: String, file: String = "<memory>", options: BFOptions = BFOptions(),
                            backend: BackendKind = .x86, backendOptions: BackendOptions = BackendOptions()) throws {
        let lowered = try Pipeline.lower(source: Array(source.utf8), file: file, language: .brainfuck,
                                         options: ProgramOptions(bf: options))
        try self.init(lowered.module, backend: backend, options: backendOptions)
    }

    /// Compiles stack bytecode in its text form (`.sbc`, docs/bytecode.md).
    public convenience init(sbc source: String, file: String = "<memory>", backend: BackendKind = .x86,
                            backendOptions: BackendOptions = BackendOptions()) throws {
        try self.init(BytecodeFrontend.lower(BytecodeFrontend.parse(sbc: source, file: file)),
                      backend: backend, options: backendOptions)
    }

    /// Compiles a bytecode module made with `BytecodeBuilder`.
    public convenience init(bytecode: BytecodeModule, backend: BackendKind = .x86,
                            backendOptions: BackendOptions = BackendOptions()) throws {
        try self.init(BytecodeFrontend.lower(bytecode), backend: backend, options: backendOptions)
    }

    /// Calls `function` with `arguments` (one per parameter); returns its result, or nil for a
    /// function without one. Output goes to `io` (captured by default).
    @discardableResult
    public func call(_ function: String, _ arguments: [Int64] = [], io: ProgramIO = ProgramIO()) throws -> Int64? {
        let result = try program.run(function, arguments: arguments, io: io, options: RunOptions())
        io.flush()
        if let trap = result.trap { throw trap }
        return result.value
    }

    /// Runs `main` (a Brainfuck program's whole run) on `input` and returns what it wrote.
    /// On a trap, the output written before it is in `io` when you pass one: see `run(io:)`.
    public func run(input: [UInt8] = []) throws -> [UInt8] {
        let io = ProgramIO(input: .bytes(input), output: .capture)
        try run(io: io)
        return io.allOutput
    }

    /// Runs `main` with `io`'s input and output (bytes, closures or the standard streams).
    public func run(io: ProgramIO) throws {
        try call("main", [], io: io)
    }

    /// `function` as a Swift closure of no argument; its output is discarded.
    public func function(_ name: String) throws -> () throws -> Int64 {
        let call = try caller(name, arity: 0)
        return { try call(nil, 0) }
    }

    /// `function` as a Swift closure of one argument.
    public func function(_ name: String) throws -> (Int64) throws -> Int64 {
        let call = try caller(name, arity: 1)
        return { a in
            var a = a
            return try call(&a, 1)
        }
    }

    /// `function` as a Swift closure of two arguments.
    public func function(_ name: String) throws -> (Int64, Int64) throws -> Int64 {
        let call = try caller(name, arity: 2)
        return { a, b in
            var arguments = (a, b)
            return try withUnsafeBytes(of: &arguments) { try call($0.baseAddress!.assumingMemoryBound(to: Int64.self), 2) }
        }
    }

    /// `function` as a Swift closure of three arguments.
    public func function(_ name: String) throws -> (Int64, Int64, Int64) throws -> Int64 {
        let call = try caller(name, arity: 3)
        return { a, b, c in
            var arguments = (a, b, c)
            return try withUnsafeBytes(of: &arguments) { try call($0.baseAddress!.assumingMemoryBound(to: Int64.self), 3) }
        }
    }

    /// Checks that `name` exists, takes `arity` arguments and returns a value, and gives the
    /// closure that calls it with `count` arguments at a pointer: directly when it can.
    private func caller(_ name: String, arity: Int) throws -> (UnsafePointer<Int64>?, Int) throws -> Int64 {
        guard let f = module.function(named: name) else { throw RunError("no function named '\(name)'") }
        guard f.parameters.count == arity else {
            throw RunError("'\(name)' takes \(f.parameters.count) argument(s), not \(arity)")
        }
        guard f.resultType != nil else { throw RunError("'\(name)' returns no value") }
        if let block = directBlocks[name] {
            return { [self] arguments, count in
                var value: Int64 = 0
                let status = DirectCall.call(block, arguments, count, maxDepth: 0, result: &value)
                guard status != 0 else { return value }
                guard directSites.indices.contains(Int(value)) else { throw InternalError("trap at unknown site \(value)") }
                throw directSites[Int(value)]
            }
        }
        return { [self] arguments, count in
            let value = try call(name, Array(UnsafeBufferPointer(start: arguments, count: count)))
            guard let value else { throw InternalError("'\(name)' returned no value") }
            return value
        }
    }
}
