import BytecodeFrontend
import JitIR
import Testing

/// How a run ended, for comparing with Python: a value or a trap kind.
enum Outcome: Hashable, CustomStringConvertible {
    case value(Int64)
    case trap(TrapKind)

    init(_ r: RunResult) {
        if let t = r.trap { self = .trap(t.kind) } else { self = .value(r.value ?? 0) }
    }

    var description: String {
        switch self {
        case .value(let v): String(v)
        case .trap(let k): k.rawValue
        }
    }
}

/// Lowers `m`, checks the IR with the IR verifier, and compiles it for the reference interpreter.
func compile(_ m: BytecodeModule) throws -> any CompiledProgram {
    let ir = try BytecodeFrontend.lower(m)
    try IRVerifier.verify(ir)
    return try Interpreter().compile(ir)
}

func compileSBC(_ text: String, file: String = "test.sbc") throws -> any CompiledProgram {
    try compile(try BytecodeFrontend.parse(sbc: text, file: file))
}

func run(_ p: any CompiledProgram, _ f: String, _ args: [Int64]) throws -> Outcome {
    Outcome(try p.run(f, arguments: args, io: ProgramIO()))
}

/// The error `body` throws as a `SourceError` (a failed expectation when it throws none or another kind).
func sourceError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> SourceError? {
    do {
        try body()
        Issue.record("expected a SourceError, but nothing was thrown", sourceLocation: sourceLocation)
    } catch let e as SourceError {
        return e
    } catch {
        Issue.record("expected a SourceError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
