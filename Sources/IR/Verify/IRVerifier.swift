/// The ways a module can be malformed, all found at once. Each diagnostic's
/// `file` is the module's `sourceFile` and its `loc` the source position of
/// the offending instruction (unknown for module-level problems); the message
/// names the function, block and instruction index so that it can be found
/// even when the position is unknown.
public struct VerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var diagnostics: [SourceError]

    public init(diagnostics: [SourceError]) { self.diagnostics = diagnostics }

    /// One diagnostic per line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Checks the invariants every engine relies on (listed in docs/IR.md,
/// "Verifier invariants"). Engines may assume a verified module and need not
/// check any of this again; a module that fails must not be run.
public enum IRVerifier {
    /// - Throws: `VerificationError` with every violation found.
    public static func verify(_ m: Module) throws {
        let d = diagnostics(m)
        if !d.isEmpty { throw VerificationError(diagnostics: d) }
    }

    /// Every violation in `m`, in module order; empty when `m` is valid.
    public static func diagnostics(_ m: Module) -> [SourceError] {
        var out: [SourceError] = []
        func report(_ loc: SourceLoc, _ message: String) {
            out.append(SourceError(file: m.sourceFile, loc: loc, message: message))
        }

        if m.memorySize < 0 {
            report(.unknown, "the memory size \(m.memorySize) is negative")
        }
        // M3: guard regions are whole pages around a memory of whole pages, so that the
        // unmapped pages begin exactly where the memory ends, on both sides.
        if m.guardBytes != 0 {
            let page = Module.guardGranule
            if m.guardBytes < 0 || m.guardBytes % page != 0 {
                report(.unknown, "the guard size \(m.guardBytes) must be a positive multiple of \(page)")
            }
            if m.memorySize <= 0 || m.memorySize % page != 0 {
                report(.unknown, "a guarded memory must be a positive multiple of \(page) bytes, not \(m.memorySize)")
            }
        }
        var firstByName: [String: Int] = [:]
        for (i, f) in m.functions.enumerated() {
            if let first = firstByName[f.name] {
                report(f.loc, "@\(IRSyntax.name(f.name)) is defined twice (functions #\(first) and #\(i))")
            } else {
                firstByName[f.name] = i
            }
        }
        let signatures = firstByName.mapValues { m.functions[$0] }
        for f in m.functions {
            var v = FunctionVerifier(function: f, module: m, callees: signatures)
            v.run()
            out += v.diagnostics
        }
        return out
    }
}
