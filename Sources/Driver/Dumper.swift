import BFFrontend
import JitIR
import X86Backend

/// The machine code one backend generated for one function.
public struct FunctionListing: Sendable, Hashable {
    public var name: String
    public var lines: [AssemblyLine]
}

/// The program views behind `jitctl dump`.
public enum Dumper {
    /// How the LLVM backend names the exported wrapper of an IR function.
    static let entryPrefix = "jitctl.entry."

    /// The IR text of the program at `stage`.
    public static func ir(path: String, options: ProgramOptions, stage: DumpStage) throws -> String {
        var options = options
        if stage == .before { options.bf.optimize = false }
        return IRText.print(try Pipeline.lower(path: path, options: options).module)
    }

    /// The Brainfuck ops of a `.bf` program at `stage` (after the passes by default), one per
    /// line, loop bodies indented: what the lowering translates.
    public static func bfOps(path: String, options: ProgramOptions, stage: DumpStage) throws -> String {
        try checkBrainfuck(path, options)
        var bf = options.bf
        if stage == .before { bf.optimize = false }
        return render(try BFFrontend.ops(source: SourceFile.read(path), file: path, options: bf))
    }

    /// The ops of a `.bf` program after `passes`, run in that order from the literal ops; with
    /// `eachPass`, the literal ops and the ops after every pass, each under a `; after NAME` line.
    public static func bfOps(path: String, options: ProgramOptions, passes: [any BFPass], eachPass: Bool) throws -> String {
        let stages = try bfStages(path: path, options: options, passes: passes)
        guard eachPass else { return render(stages[stages.count - 1]) }
        return zip(["literal"] + passes.map(\.name), stages).map { "; after \($0)\n" + render($1) }.joined(separator: "\n")
    }

    /// The IR of a `.bf` program lowered from its ops after `passes`.
    public static func ir(path: String, options: ProgramOptions, passes: [any BFPass]) throws -> String {
        let stages = try bfStages(path: path, options: options, passes: passes)
        return IRText.print(try BFFrontend.lower(stages[stages.count - 1], file: path, options: options.bf))
    }

    private static func bfStages(path: String, options: ProgramOptions, passes: [any BFPass]) throws -> [[BFOp]] {
        try checkBrainfuck(path, options)
        return try BFFrontend.stages(source: SourceFile.read(path), file: path, options: options.bf, passes: passes)
    }

    private static func checkBrainfuck(_ path: String, _ options: ProgramOptions) throws {
        guard (options.language ?? SourceLanguage(path: path)) == .brainfuck else {
            throw SourceError(file: path, loc: .unknown, message: "--bf and --passes show Brainfuck programs only")
        }
        try SourceFile.checkReadable(path)
    }

    /// One op per line, loop bodies indented.
    private static func render(_ ops: [BFOp]) -> String {
        var out = ""
        func render(_ ops: [BFOp], _ indent: String) {
            for op in ops {
                if case .loop(let body, let open, let close) = op {
                    out += "\(indent)loop @\(open)..\(close) {\n"
                    render(body, indent + "  ")
                    out += "\(indent)}\n"
                } else {
                    out += "\(indent)\(op)\n"
                }
            }
        }
        render(ops, "")
        return out
    }

    /// LLVM's IR for the program, before or after the pass pipeline.
    public static func llvmIR(_ program: LoweredProgram, optLevel: Int, stage: DumpStage) throws -> String {
        try LLVMServicesRegistry.required().llvmIR(for: program.module, optLevel: optLevel, stage: stage)
    }

    /// The machine code `backend` generates for the program, disassembled by LLVM's disassembler.
    public static func assembly(_ program: LoweredProgram, backend: BackendKind, optLevel: Int) throws -> [FunctionListing] {
        let llvm = try LLVMServicesRegistry.required()
        let disassembler = try llvm.makeDisassembler()
        func listing(_ name: String, _ bytes: [UInt8], at address: UInt64) -> FunctionListing {
            FunctionListing(name: name, lines: disassembler.disassemble(bytes, address: address))
        }
        switch backend {
        case .x86:
            let compiled = try X86Backend().compileProgram(program.module)
            let starts = compiled.functionOffsets.sorted { $0.value < $1.value }
            return starts.enumerated().map { i, entry in
                let end = i + 1 < starts.count ? starts[i + 1].value : compiled.machineCode.count
                return listing(entry.key, Array(compiled.machineCode[entry.value..<end]), at: UInt64(entry.value))
            }
        case .llvm:
            let functions = try llvm.machineCode(for: program.module, optLevel: optLevel)
            let names = Set(functions.map(\.function))
            return functions.map { f in
                // When LLVM inlined a function into its exported entry wrapper, the wrapper is
                // that function's code: give it the IR name so listings line up by name.
                var name = f.function
                if name.hasPrefix(entryPrefix), !names.contains(String(name.dropFirst(entryPrefix.count))) {
                    name = String(name.dropFirst(entryPrefix.count))
                }
                return listing(name, f.bytes, at: 0)
            }
        case .interp:
            throw RunError("the interpreter generates no machine code; use --backend x86 or llvm")
        case .auto:
            throw RunError("auto generates its code while the program runs; dump --backend x86 or llvm")
        }
    }

    /// A listing as text: `name:` then `  addr:  bytes  instruction` lines.
    public static func render(_ listings: [FunctionListing], showBytes: Bool = true) -> String {
        listings.map { f in
            (["\(f.name):"] + f.lines.map { line($0, showBytes: showBytes, bytesWidth: 30) }).joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    /// The widest `sideBySide` output; wider requests get this width.
    public static let maximumWidth = 1000

    /// Two listings in columns that fit `width` characters (40 to `maximumWidth`), functions matched by name.
    public static func sideBySide(_ left: (title: String, listings: [FunctionListing]),
                                  _ right: (title: String, listings: [FunctionListing]), width: Int) -> String {
        let column = max(20, (min(width, maximumWidth) - 3) / 2)
        let showBytes = column >= 72
        func fit(_ s: String) -> String {
            s.count > column ? String(s.prefix(column - 1)) + "…" : s.padding(toLength: column, withPad: " ", startingAt: 0)
        }
        var out = [fit(left.title) + " │ " + right.title, String(repeating: "─", count: column) + "─┼─" + String(repeating: "─", count: column)]
        var names = left.listings.map(\.name)
        for r in right.listings.map(\.name) where !names.contains(r) { names.append(r) }
        for name in names {
            let l = left.listings.first { $0.name == name }?.lines.map { line($0, showBytes: showBytes, bytesWidth: 24) } ?? []
            let r = right.listings.first { $0.name == name }?.lines.map { line($0, showBytes: showBytes, bytesWidth: 24) } ?? []
            out.append(fit("\(name):" + (l.isEmpty ? " (none)" : "")) + " │ " + "\(name):" + (r.isEmpty ? " (none)" : ""))
            for i in 0..<max(l.count, r.count) {
                let rightText = i < r.count ? r[i] : ""
                out.append(fit(i < l.count ? l[i] : "") + " │ " + (rightText.count > column ? String(rightText.prefix(column - 1)) + "…" : rightText))
            }
        }
        return out.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n")
    }

    static func line(_ l: AssemblyLine, showBytes: Bool, bytesWidth: Int) -> String {
        let address = String(l.address, radix: 16)
        let paddedAddress = String(repeating: "0", count: max(0, 4 - address.count)) + address
        guard showBytes else { return "  \(paddedAddress):  \(l.text)" }
        let hex = l.bytes.map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined(separator: " ")
        return "  \(paddedAddress):  \(hex.padding(toLength: max(bytesWidth, hex.count), withPad: " ", startingAt: 0))  \(l.text)"
    }
}
