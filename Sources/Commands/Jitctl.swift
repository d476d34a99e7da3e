import ArgumentParser

/// The `jitctl` command: a thin shell over the JitCtl library.
public struct Jitctl: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "jitctl",
        abstract: "A JIT compiler for Brainfuck and a CPython-like stack bytecode, with an x86-64 backend of its own and an LLVM backend.",
        subcommands: [RunCommand.self, CompareCommand.self, DumpCommand.self],
        defaultSubcommand: nil
    )

    public init() {}
}
