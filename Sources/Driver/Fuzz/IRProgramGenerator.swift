import JitIR

/// A generated IR program, ready to run: the module (before fuel
/// instrumentation), the call to make and the bytes `getbyte` reads.
public struct GeneratedIRProgram: Sendable {
    public var module: Module
    public var entry: String
    public var arguments: [Int64]
    public var input: [UInt8]

    public init(module: Module, entry: String, arguments: [Int64], input: [UInt8]) {
        self.module = module
        self.entry = entry
        self.arguments = arguments
        self.input = input
    }
}

/// Random *valid* IR modules (they pass `IRVerifier.verify`) that exercise
/// every operation of docs/IR.md §3 at every type.
///
/// The shape follows the usual structured approach of IR fuzzers (Cranelift's
/// fuzzgen among them): a function is generated as nested statements —
/// straight-line operations, if/else, counted loops with break and continue,
/// calls, memory accesses, I/O — so that the control flow is well formed by
/// construction, while the operations and operands inside are as irregular as
/// the verifier allows. Three rules keep programs meaningful:
///
/// - *Definite assignment*: every function first assigns a few long-lived
///   variables of each type; temporaries are only read inside the region that
///   defined them.
/// - *Termination*: loops are counted (at most a few iterations), calls go to
///   later functions only, and a recursive function recurses once per
///   activation on a depth argument, usually below 32 and now and then up to
///   131,071, past the IR's limit of 100,000 live activations (`CallDepth`), so
///   that every engine must stop at the same call. Fuel (`Fuel`) catches the rest.
/// - *Memory safety*: an address is a constant in range, an index masked into
///   range, or an arbitrary value guarded by `cmp ugt` + `trapif out_of_bounds`
///   (docs/IR.md §5), because an unguarded access out of range is undefined
///   behaviour on the native engines.
public struct IRProgramGenerator {
    /// Size and shape limits.
    public struct Limits: Sendable {
        /// Functions per module, the entry included.
        public var functions: ClosedRange<Int> = 1...4
        /// Statements at the top level of a function.
        public var statements: ClosedRange<Int> = 4...14
        /// Nesting of if/else and loops.
        public var maxDepth = 3
        /// The entry function's parameters; 7 and more are passed to native code through an array.
        public var entryParameters: ClosedRange<Int> = 0...9
        /// Parameters of the other functions; 7 and more pass arguments on the stack.
        public var parameters: ClosedRange<Int> = 0...9
        public init() {}
    }

    /// A function's signature, decided before any body so that calls can go anywhere later.
    struct Signature {
        var name: String
        var parameters: [IntType]
        var result: IntType?
        /// Recursive functions take their depth as parameter 0.
        var recursive: Bool
    }

    var rng: FuzzRandom
    let limits: Limits

    public init(rng: FuzzRandom, limits: Limits = Limits()) {
        self.rng = rng
        self.limits = limits
    }

    /// The program of `index` in the campaign `seed`.
    public static func generate(seed: UInt64, index: Int, limits: Limits = Limits()) -> GeneratedIRProgram {
        var g = IRProgramGenerator(rng: FuzzRandom(seed: seed, index: index), limits: limits)
        return g.program()
    }

    public mutating func program() -> GeneratedIRProgram {
        // Powers of two, so that masking an index keeps it in range.
        let memorySize = rng.pick([16, 64, 256, 4096])
        let count = rng.int(limits.functions)
        var signatures: [Signature] = []
        for i in 0..<count {
            let recursive = i > 0 && rng.chance(30)
            var parameters = (0..<rng.int(i == 0 ? limits.entryParameters : limits.parameters)).map { _ in anyType() }
            if recursive { parameters.insert(rng.pick([IntType.i32, .i64]), at: 0) }
            let result: IntType? = i == 0 ? rng.weighted([(IntType.i64, 6), (.i32, 1), (.i8, 1), (.i1, 1)])
                : (rng.chance(85) ? anyType() : nil)
            signatures.append(Signature(name: i == 0 ? "main" : "f\(i)", parameters: parameters, result: result,
                                        recursive: recursive))
        }
        var functions: [Function] = []
        for i in 0..<count {
            var f = FunctionGenerator(rng: rng, signatures: signatures, index: i, memorySize: memorySize, limits: limits)
            functions.append(f.generate())
            rng = f.rng
        }
        let module = Module(sourceFile: "fuzz.ir", memorySize: memorySize, functions: functions)
        let arguments = signatures[0].parameters.map { rng.edgeValue($0) }
        let input = (0..<rng.int(0...6)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        return GeneratedIRProgram(module: module, entry: "main", arguments: arguments, input: input)
    }

    private mutating func anyType() -> IntType {
        rng.weighted([(IntType.i64, 4), (.i32, 3), (.i16, 2), (.i8, 2), (.i1, 1)])
    }
}
