/// The textual form of the IR (grammar in docs/IR.md):
///
///     source "hello-jitctl.bf"
///     memory 65536
///
///     func @main(%0: i64, %1: i64) -> i64 {
///       regs %2: i64, %3: i1
///     entry:
///       %2 = add.ovf i64 %0, %1               !3:7
///       %3 = cmp slt i64 %2, 10               !3:9
///       br %3, small, big
///     small:
///       ret %2
///     big:
///       ret 10
///     }
///
/// `parse(print(m)) == m` for every module `m`, valid or not.
public enum IRText {
    /// The whole module as text.
    public static func print(_ m: Module) -> String {
        var p = IRPrinter()
        p.module(m)
        return p.output
    }

    /// One function as text (as it appears inside a module).
    public static func print(_ f: Function) -> String {
        var p = IRPrinter()
        p.function(f)
        return p.output
    }

    /// One instruction as text, without its location (`%3 = add i64 %1, 2`).
    /// `f` supplies the register types.
    public static func print(_ i: Instruction, in f: Function) -> String {
        IRPrinter.instruction(i.op, in: f)
    }

    /// One terminator as text, without its location (`br %3, loop, exit`).
    public static func print(_ t: Terminator, in f: Function) -> String {
        IRPrinter.terminator(t, targets: TargetNamer(f))
    }

    /// Reads a module. `file` names the text in errors; it is also the module's
    /// `sourceFile` when the text has no `source` line.
    ///
    /// With `positionsFromText`, a function, instruction or terminator written without
    /// `!line:col` gets its own line:col in the text, so traps in hand-written IR point at
    /// it; a `source` line turns this off, since positions then refer to another file.
    /// The round trip `parse(print(m)) == m` holds without it.
    /// - Throws: `SourceError` at the line:col of the problem in `text`.
    public static func parse(_ text: String, file: String, positionsFromText: Bool = false) throws -> Module {
        try IRParser.parse(text, file: file, positionsFromText: positionsFromText)
    }
}
