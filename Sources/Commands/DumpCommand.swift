import ArgumentParser
import Foundation
import JitCtl
import JitCtlRun
import BFFrontend
import JitIR

extension DumpStage: ExpressibleByArgument {}

struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Show a program as IR, as LLVM IR, or as the machine code each backend generates.",
        discussion: """
            Exactly one of --ir, --llvm-ir, --asm, --bf. Machine code is disassembled by LLVM's disassembler \
            (Intel syntax) with addresses and bytes; --side-by-side sets the x86 and llvm code next to each other.
            """
    )

    @OptionGroup var program: ProgramArguments

    @Flag(help: "Print jitctl's IR.")
    var ir = false

    @Flag(name: .customLong("llvm-ir"), help: "Print the LLVM IR the llvm backend builds.")
    var llvmIR = false

    @Flag(help: "For Brainfuck: print the ops the optimisation passes leave (--stage before: the literal ops).")
    var bf = false

    @Flag(help: "Print the machine code of --backend, or of both with --side-by-side.")
    var asm = false

    @Option(help: "For --ir, --llvm-ir and --bf: before or after optimisation (default after).")
    var stage: DumpStage?

    @Option(help: ArgumentHelp("For --bf and --ir on Brainfuck: run only these BF passes, in this order, on the literal ops (comma-separated; docs/bf-passes.md).", valueName: "names"))
    var passes: String?

    @Flag(name: .customLong("each-pass"), help: "For --bf: print the ops after each pass (of --passes, or of the whole pipeline).")
    var eachPass = false

    @Option(help: "For --asm: the backend whose code to show (x86 or llvm).")
    var backend: BackendKind = .x86

    @Flag(name: .customLong("side-by-side"), help: "For --asm: the x86 and llvm code in two columns.")
    var sideBySide = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Width of --side-by-side output in columns, 40 to 1000 (default: the terminal's, or 160).", valueName: "columns"))
    var width: Int?

    @OptionGroup var backendArguments: BackendArguments

    func validate() throws {
        guard [ir, llvmIR, asm || sideBySide, bf].filter({ $0 }).count == 1 else {
            throw ValidationError("choose exactly one of --ir, --llvm-ir, --asm and --bf")
        }
        if asm && !sideBySide && backend == .interp {
            throw ValidationError("--asm needs --backend x86 or llvm: the interpreter generates no machine code")
        }
        if let width {
            guard sideBySide else { throw ValidationError("--width applies only to --asm --side-by-side") }
            guard (Terminal.minimumWidth...Dumper.maximumWidth).contains(width) else {
                throw ValidationError("--width must be between \(Terminal.minimumWidth) and \(Dumper.maximumWidth) columns (got \(width))")
            }
        }
        if stage != nil && !(ir || llvmIR || bf) { throw ValidationError("--stage applies only to --ir, --llvm-ir and --bf") }
        if passes != nil || eachPass {
            guard bf || (ir && !eachPass) else { throw ValidationError("--passes applies only to --bf and --ir, --each-pass only to --bf") }
            guard stage == nil, !program.noBFOptimization else {
                throw ValidationError("--passes and --each-pass choose the passes: drop --stage and --no-bf-opt")
            }
            let unknown = passNames.filter { BFPipeline.pass(named: $0) == nil }
            guard unknown.isEmpty else {
                throw ValidationError("no BF pass \(unknown.map { "'\($0)'" }.joined(separator: ", ")); the passes are "
                                      + BFPipeline.passNames.joined(separator: ", "))
            }
        }
    }

    private var passNames: [String] {
        passes.map { $0.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) } } ?? []
    }

    /// `--passes`, or with `--each-pass` alone the pipeline (a repeated group as one step).
    private var chosenPasses: [any BFPass] {
        passes == nil ? BFPipeline.passes : passNames.compactMap(BFPipeline.pass(named:))
    }

    func run() throws {
        try Diagnostics.guarded {
            let options = program.programOptions
            let level = backendArguments.optLevel
            if passes != nil || eachPass {
                let text = bf ? try Dumper.bfOps(path: program.file, options: options, passes: chosenPasses, eachPass: eachPass)
                              : try Dumper.ir(path: program.file, options: options, passes: chosenPasses)
                print(text, terminator: "")
                return
            }
            if bf {
                print(try Dumper.bfOps(path: program.file, options: options, stage: stage ?? .after), terminator: "")
                return
            }
            // Every view but the IR needs LLVM: its IR, or its disassembler.
            if !ir { try LLVMHandOver.ensureLLVM() }
            if ir {
                print(try Dumper.ir(path: program.file, options: options, stage: stage ?? .after), terminator: "")
                return
            }
            let lowered = try Pipeline.lower(path: program.file, options: options)
            if llvmIR {
                print(try Dumper.llvmIR(lowered, optLevel: level, stage: stage ?? .after), terminator: "")
            } else if sideBySide {
                let x86 = try Dumper.assembly(lowered, backend: .x86, optLevel: level)
                let llvm = try Dumper.assembly(lowered, backend: .llvm, optLevel: level)
                print(Dumper.sideBySide(("x86", x86), ("llvm -O\(level)", llvm), width: width ?? Terminal.columns()))
            } else {
                print(Dumper.render(try Dumper.assembly(lowered, backend: backend, optLevel: level)))
            }
        }
    }
}

enum Terminal {
    static let minimumWidth = 40

    /// The terminal's width: $COLUMNS, else the tty's, else 160; at most `Dumper.maximumWidth`.
    static func columns() -> Int {
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c >= minimumWidth { return min(c, Dumper.maximumWidth) }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, Int(size.ws_col) >= minimumWidth { return min(Int(size.ws_col), Dumper.maximumWidth) }
        return 160
    }
}
