import BFFrontend
import JitCtlCore

extension RunInvocation {
    /// Reads the arguments after `run` without ArgumentParser, whose reflection and its
    /// FoundationEssentials would cost every start more than the rest of the process does.
    ///
    /// Only plain, valid command lines are read here: each option once, as `--name value` or
    /// `--name=value` (`-O level`), one file, values in range. Anything else (help, a repeated
    /// or unknown option, a bad value, `--`) returns nil, and the full CLI parses it with
    /// ArgumentParser and reports exactly as it always has. A test checks that both parsers agree.
    package static func parseFast(_ arguments: [String]) -> RunInvocation? {
        var file: String?
        var seen = Set<String>()
        var values: [String: String] = [:]
        var i = arguments.startIndex
        while i < arguments.endIndex {
            let argument = arguments[i]
            i += 1
            guard argument.hasPrefix("-") else {
                guard file == nil else { return nil }
                file = argument
                continue
            }
            var name = argument, value: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard seen.insert(name).inserted else { return nil }
            if flags.contains(name) {
                guard value == nil else { return nil }
                values[name] = ""
                continue
            }
            guard let takesDashes = options[name] else { return nil }
            if value == nil {
                guard i < arguments.endIndex, takesDashes || !arguments[i].hasPrefix("-") else { return nil }
                value = arguments[i]
                i += 1
            }
            values[name] = value
        }
        guard let file else { return nil }
        var run = RunInvocation(file: file)
        if let v = values["--backend"] { guard let b = BackendKind(rawValue: v) else { return nil }; run.backend = b }
        if let v = values["--call"] { run.call = v }
        if let v = values["--python"] { run.python = v }
        if let v = values["--language"] { guard let l = SourceLanguage(rawValue: v) else { return nil }; run.language = l }
        if let v = values["--cell-bits"] { guard let n = Int(v), [8, 16, 32].contains(n) else { return nil }; run.cellBits = n }
        if let v = values["--eof"] { guard let e = BFOptions.EOFMode(rawValue: v) else { return nil }; run.eof = e }
        if let v = values["--tape-size"] {
            guard let n = Int(v), (1...maximumTapeSize).contains(n) else { return nil }
            run.tapeSize = n
        }
        if values["--no-bf-opt"] != nil { run.optimizeBF = false }
        if values["--verify-ir"] != nil { run.verifyIR = true }
        if let v = values["-O"] { guard let n = Int(v), (0...3).contains(n) else { return nil }; run.optLevel = n }
        if let v = values["--llvm-engine"] { guard let e = LLVMEngineKind(rawValue: v) else { return nil }; run.llvmEngine = e }
        if values["--perf-map"] != nil { run.perfMap = true }
        if values["--stats"] != nil { run.stats = true }
        return run
    }

    /// The options that take a value, and whether the value may start with `-` (ArgumentParser's
    /// `.unconditional` parsing).
    private static let options: [String: Bool] = [
        "--backend": false, "--call": false, "--python": false, "--language": false, "--eof": false,
        "--llvm-engine": false, "--cell-bits": true, "--tape-size": true, "-O": true,
    ]

    private static let flags: Set<String> = ["--no-bf-opt", "--verify-ir", "--perf-map", "--stats"]
}
