import Foundation
import JitIR

/// One run of a program from `Tests/IRPrograms`: what to call, with what, and
/// what must happen. Every engine must meet these expectations exactly.
public struct IRProgramCase: Sendable, CustomStringConvertible {
    /// `file.ir:line`, the line of the `; run:` directive.
    public var name: String
    /// The whole `.ir` text.
    public var text: String
    /// The parsed, verified module.
    public var module: Module
    public var function: String
    /// One per parameter, already normalised to the parameter types.
    public var arguments: [Int64]
    /// The bytes `getbyte` reads; after them it returns -1.
    public var input: [UInt8]
    /// The result for a function with a result type that does not trap; nil otherwise.
    public var expectedValue: Int64?
    /// Exactly the bytes `putbyte` writes (also when the run traps).
    public var expectedOutput: [UInt8]
    public var expectedTrap: Trap?

    public var description: String { name }

    /// Fresh I/O for one run: the case's input, captured output.
    public func makeIO() -> ProgramIO { ProgramIO(input: .bytes(input), output: .capture) }

    /// How `result` and `output` differ from the expectations; empty when the run is right.
    public func mismatches(_ result: RunResult, output: [UInt8]) -> [String] {
        var problems: [String] = []
        if result.trap != expectedTrap {
            problems.append("\(name): trap \(result.trap.map(Self.describe) ?? "none"), expected \(expectedTrap.map(Self.describe) ?? "none")")
        }
        if result.value != expectedValue {
            problems.append("\(name): value \(result.value.map(String.init) ?? "none"), expected \(expectedValue.map(String.init) ?? "none")")
        }
        if output != expectedOutput {
            problems.append("\(name): output \(IRProgramCorpus.escape(output)), expected \(IRProgramCorpus.escape(expectedOutput))")
        }
        return problems
    }

    /// Compiles the module with `engine`, runs the case and returns the mismatches.
    public func check(with engine: any ExecutionEngine) throws -> [String] {
        let program = try engine.compile(module)
        let io = makeIO()
        let result = try program.run(function, arguments: arguments, io: io)
        return mismatches(result, output: io.allOutput)
    }

    private static func describe(_ t: Trap) -> String { "\(t.kind.rawValue) at \(t.loc) in @\(t.function)" }
}

/// A `.ir` file of the corpus with its runs.
public struct IRProgramFile: Sendable {
    /// The file name, e.g. `division.ir`.
    public var name: String
    public var text: String
    public var module: Module
    public var cases: [IRProgramCase]
}

/// The IR programs in `Tests/IRPrograms`. Each file states in comments how to
/// run it and what must happen (docs/IR.md, "Test programs"):
///
///     ; run: @main(5, 7) -> 12                  call, expected result
///     ; run: @div(1, 0) -> trap division_by_zero 4:3
///     ; run: @hello()                           a function without result
///     ; input: "abc"                            bytes for getbyte (this run)
///     ; output: "cba\n"                         bytes putbyte must write (this run)
///     ; trap: overflow 12:5 @fact               the trap this run must end in
///
/// `input:`, `output:` and `trap:` belong to the `run:` above them. A trap's
/// function defaults to the called one; `0:0` is an unknown position.
public enum IRProgramCorpus {
    public static var directory: URL { SharedData.repositoryRoot.appendingPathComponent("Tests/IRPrograms") }

    /// Every file, sorted by name, parsed and verified.
    /// - Throws: `SourceError` for a bad file or directive, `VerificationError` for an invalid module.
    public static func files() throws -> [IRProgramFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".ir") }
            .sorted()
        return try names.map { name in
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            return try load(name: name, text: text)
        }
    }

    /// Every run of every file.
    public static func all() throws -> [IRProgramCase] {
        try files().flatMap(\.cases)
    }

    /// Parses one program and its directives.
    public static func load(name: String, text: String) throws -> IRProgramFile {
        let module = try IRText.parse(text, file: name)
        try IRVerifier.verify(module)
        var cases: [IRProgramCase] = []
        let directives = DirectiveReader(file: name)
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let d = try directives.read(String(line), line: k + 1) else { continue }
            switch d.keyword {
            case "run":
                cases.append(try run(d, file: name, text: text, module: module))
            case "input", "output", "trap":
                guard !cases.isEmpty else { throw d.error("'\(d.keyword):' must follow a 'run:' line") }
                try attach(d, to: &cases[cases.count - 1])
            default:
                break
            }
        }
        guard !cases.isEmpty else {
            throw SourceError(file: name, loc: .unknown, message: "no '; run:' directive")
        }
        for c in cases {
            let f = module.function(named: c.function)!
            if c.expectedTrap == nil && (c.expectedValue == nil) != (f.resultType == nil) {
                throw SourceError(file: name, loc: .unknown, message: "\(c.name): @\(c.function) "
                    + (f.resultType == nil ? "returns nothing, so the run cannot expect a value" : "returns a value: write '-> value' or a trap"))
            }
        }
        return IRProgramFile(name: name, text: text, module: module, cases: cases)
    }

    /// `; run: @f(args) [-> value | -> trap kind line:col [@g]]`
    private static func run(_ d: Directive, file: String, text: String, module: Module) throws -> IRProgramCase {
        var s = d.scanner
        guard s.skip("@"), let callee = s.identifier() else { throw d.error("expected '@function(' after 'run:'") }
        guard let f = module.function(named: callee) else { throw d.error("no function @\(callee) in the module") }
        guard s.skip("(") else { throw d.error("expected '(' after @\(callee)") }
        var args: [Int64] = []
        if !s.skip(")") {
            repeat {
                guard let a = s.integer() else { throw d.error("expected an integer argument") }
                args.append(a)
            } while s.skip(",")
            guard s.skip(")") else { throw d.error("expected ')' after the arguments") }
        }
        guard args.count == f.parameters.count else {
            throw d.error("@\(callee) takes \(f.parameters.count) argument(s), the run passes \(args.count)")
        }
        for (a, p) in zip(args, f.parameters) where f.type(of: p).normalize(a) != a {
            throw d.error("argument \(a) does not fit in \(f.type(of: p))")
        }
        var c = IRProgramCase(name: "\(file):\(d.line)", text: text, module: module, function: callee, arguments: args,
                              input: [], expectedValue: nil, expectedOutput: [], expectedTrap: nil)
        if s.skip("->") {
            if s.keyword("trap") {
                c.expectedTrap = try trap(&s, d, defaultFunction: callee)
            } else if let v = s.integer() {
                c.expectedValue = v
            } else {
                throw d.error("expected a value or 'trap' after '->'")
            }
        }
        guard s.atEnd else { throw d.error("unexpected text after the run") }
        return c
    }

    private static func attach(_ d: Directive, to c: inout IRProgramCase) throws {
        var s = d.scanner
        switch d.keyword {
        case "trap":
            c.expectedTrap = try trap(&s, d, defaultFunction: c.function)
            c.expectedValue = nil
        default:
            guard let bytes = s.byteString() else { throw d.error("expected a quoted string after '\(d.keyword):'") }
            if d.keyword == "input" { c.input = bytes } else { c.expectedOutput = bytes }
        }
        guard s.atEnd else { throw d.error("unexpected text after '\(d.keyword):'") }
    }

    /// `kind line:col [@function]`
    private static func trap(_ s: inout DirectiveScanner, _ d: Directive, defaultFunction: String) throws -> Trap {
        guard let k = s.identifier(), let kind = TrapKind(rawValue: k) else { throw d.error("expected a trap kind") }
        guard let line = s.integer(), s.skip(":"), let col = s.integer() else {
            throw d.error("expected the trap position as line:col after '\(k)'")
        }
        var function = defaultFunction
        if s.skip("@") {
            guard let g = s.identifier() else { throw d.error("expected a function name after '@'") }
            function = g
        }
        return Trap(kind: kind, loc: SourceLoc(line: Int(line), column: Int(col)), function: function)
    }

    /// Bytes as a directive string: printable ASCII as is, `\n`, `\\`, `\"`, else `\xNN`.
    public static func escape(_ bytes: [UInt8]) -> String {
        var s = "\""
        for b in bytes {
            switch b {
            case UInt8(ascii: "\n"): s += "\\n"
            case UInt8(ascii: "\\"): s += "\\\\"
            case UInt8(ascii: "\""): s += "\\\""
            case 0x20..<0x7F: s.unicodeScalars.append(Unicode.Scalar(b))
            default: s += "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
            }
        }
        return s + "\""
    }
}
