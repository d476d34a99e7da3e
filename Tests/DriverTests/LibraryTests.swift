import JitCtl
import JitCtlLLVM
import Synchronization
import Testing
import TestSupport

/// The library as another package uses it: everything through `import JitCtl`, no files.
@Suite("the Swift library")
struct LibraryTests {
    static let backends: [BackendKind] = [.interp, .x86, .llvm]

    /// `a * b` with overflow checking, and `a / b`.
    static func arithmetic() throws -> Module {
        var mul = FunctionBuilder(name: "mul", parameters: [.i64, .i64], result: .i64, loc: SourceLoc(line: 1, column: 1))
        mul.loc = SourceLoc(line: 2, column: 5)
        mul.ret(.reg(mul.binary(.mul, .i64, .reg(mul.parameter(0)), .reg(mul.parameter(1)), checked: true)))
        var div = FunctionBuilder(name: "div", parameters: [.i64, .i64], result: .i64, loc: SourceLoc(line: 4, column: 1))
        div.loc = SourceLoc(line: 5, column: 5)
        div.ret(.reg(div.binary(.sdiv, .i64, .reg(div.parameter(0)), .reg(div.parameter(1)))))
        return Module(sourceFile: "arith", functions: [try mul.finish(), try div.finish()])
    }

    @Test("a built module's functions are Swift closures; traps are thrown with their position", arguments: backends)
    func builtFunctions(backend: BackendKind) throws {
        let compiled = try CompiledModule(Self.arithmetic(), backend: backend)
        let mul: (Int64, Int64) throws -> Int64 = try compiled.function("mul")
        let div: (Int64, Int64) throws -> Int64 = try compiled.function("div")
        #expect(try mul(-6, 7) == -42)
        #expect(try div(100, 7) == 14)
        #expect(throws: Trap(kind: .overflow, loc: SourceLoc(line: 2, column: 5), function: "mul")) { try mul(Int64.max, 2) }
        #expect(throws: Trap(kind: .divisionByZero, loc: SourceLoc(line: 5, column: 5), function: "div")) { try div(1, 0) }
        #expect(try mul(3, 3) == 9, "a trap leaves the compiled module usable")
    }

    @Test("recursion through a direct call is bounded by the calling thread's stack: a trap, never a crash",
          arguments: [BackendKind.x86, .llvm])
    func directRecursion(backend: BackendKind) async throws {
        let compiled = try CompiledModule(SampleModules.recursiveSum(), backend: backend)
        let sum: (Int64) throws -> Int64 = try compiled.function("sum")
        #expect(try sum(1_000) == 500_500)
        // A Swift task's stack is far smaller than 100,000 activations need.
        let outcome = await Task { () -> Result<Int64, any Error> in
            Result {
                let sum: (Int64) throws -> Int64 = try CompiledModule(SampleModules.recursiveSum(), backend: backend).function("sum")
                return try sum(99_990)
            }
        }.value
        switch outcome {
        case .success(let value): #expect(value == 99_990 * 99_991 / 2)
        case .failure(let error): #expect((error as? Trap)?.kind == .recursionLimit, "\(error)")
        }
        #expect(throws: Trap(kind: .recursionLimit, loc: SourceLoc(line: 2, column: 5), function: "sum")) { try sum(200_000) }
        #expect(try compiled.call("sum", [99_990]) == 99_990 * 99_991 / 2, "run has the IR's whole depth")
    }

    @Test("a function is looked up with its arity and result checked")
    func wrongShapes() throws {
        let compiled = try CompiledModule(Self.arithmetic())
        #expect(throws: RunError.self) { let _: (Int64) throws -> Int64 = try compiled.function("mul") }
        #expect(throws: RunError.self) { let _: () throws -> Int64 = try compiled.function("cube") }
        #expect(try compiled.call("div", [9, 3]) == 3)
    }

    @Test("Brainfuck from a string, on every backend, with its trap at the right place", arguments: backends)
    func brainfuckText(backend: BackendKind) throws {
        let hello = try CompiledModule(brainfuck: "++++++++[>++++++++<-]>+.+.", backend: backend)
        #expect(try hello.run() == Array("AB".utf8))
        let offTheEdge = try CompiledModule(brainfuck: "+.\n<.", file: "edge.bf", backend: backend)
        let io = ProgramIO(output: .capture)
        #expect(throws: Trap(kind: .outOfBounds, loc: SourceLoc(line: 2, column: 2), function: "main")) { try offTheEdge.run(io: io) }
        #expect(io.allOutput == [1], "the output before the trap is kept")
    }

    @Test("a source error in text names the given file, line and column")
    func sourceErrors() throws {
        #expect(throws: SourceError.self) { try CompiledModule(brainfuck: "+[\n[-]", file: "bad.bf") }
        do {
            _ = try CompiledModule(brainfuck: "+[\n[-]", file: "bad.bf")
        } catch let error as SourceError {
            #expect(error.description.hasPrefix("bad.bf:1:2: error:"), "\(error)")
        }
    }

    @Test("input and output through closures", arguments: [BackendKind.x86, .llvm])
    func closureIO(backend: BackendKind) throws {
        let chunks = Mutex<[[UInt8]]>([Array("ab".utf8), Array("c".utf8)])
        let written = Mutex<[UInt8]>([])
        let io = ProgramIO(input: .reader { chunks.withLock { $0.isEmpty ? [] : $0.removeFirst() } },
                           output: .handler { bytes in written.withLock { $0 += bytes } })
        // Copies input to output, upper-cased by subtracting 32, until end of input (EOF leaves 0).
        let upper = try CompiledModule(brainfuck: ",[--------------------------------.[-],]", options: {
            var o = BFOptions(); o.eof = .zero; return o
        }(), backend: backend)
        try upper.run(io: io)
        #expect(written.withLock { $0 } == Array("ABC".utf8))
    }

    @Test("bytecode from .sbc text and from the builder", arguments: [BackendKind.x86, .llvm])
    func bytecode(backend: BackendKind) throws {
        var b = BytecodeBuilder(name: "twice", parameters: ["n"])
        b.loadFast("n"); b.loadConst(2); b.binaryOp(.multiply); b.returnValue()
        let built = try CompiledModule(bytecode: BytecodeModule(functions: [try b.finish()]), backend: backend)
        let twice: (Int64) throws -> Int64 = try built.function("twice")
        #expect(try twice(21) == 42)
        let lowered = try LoweredProgram(module: built.module, entry: "twice", arguments: [5])
        #expect(try Runner.execute(lowered, on: backend, io: ProgramIO()).result.value == 10)

        let text = ".sbc 1\ndef inc(n):\n    LOAD_FAST n\n    LOAD_CONST 1\n    BINARY_OP +\n    RETURN_VALUE\n"
        let inc: (Int64) throws -> Int64 = try CompiledModule(sbc: text, file: "inc.sbc", backend: backend).function("inc")
        #expect(try inc(41) == 42)
        #expect(throws: Trap.self) { try inc(Int64.max) }
    }
}
