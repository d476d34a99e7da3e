import Foundation
import Testing

/// Bad input anywhere on the command line is a user error: a message and exit status 1,
/// never a crash (signal), a hang or an internal error (70).
@Suite("bad command-line input")
struct BadInputTests {
    /// Fails unless `r` is a clean user error whose message contains `message`.
    static func expectUserError(_ r: CLIResult, _ message: String, _ what: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!r.signalled, "\(what): killed by signal \(r.status)\n\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.status == 1, "\(what): exit status \(r.status)\n\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(message), "\(what): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("bug in jitctl"), "\(what): \(r.stderr)", sourceLocation: sourceLocation)
    }

    struct OptionCase: Sendable, CustomStringConvertible {
        var arguments: [String]
        var message: String
        var description: String { arguments.joined(separator: " ") }
    }

    static let tapeLimit = "--tape-size must be between 1 and 268435456 cells"
    static let runsLimit = "--runs must be between 1 and 1000000"
    static let widthLimit = "--width must be between 40 and 1000 columns"

    /// `PROG` stands for a valid Brainfuck file.
    static let optionCases: [OptionCase] = [
        .init(arguments: ["run", "--tape-size", "0", "PROG"], message: "\(tapeLimit) (got 0)"),
        .init(arguments: ["run", "--tape-size", "-5", "PROG"], message: "\(tapeLimit) (got -5)"),
        .init(arguments: ["run", "--tape-size=-5", "PROG"], message: "\(tapeLimit) (got -5)"),
        .init(arguments: ["run", "--tape-size", "268435457", "PROG"], message: "\(tapeLimit) (got 268435457)"),
        .init(arguments: ["run", "--tape-size", String(1 << 62), "PROG"], message: "\(tapeLimit) (got \(1 << 62))"),
        .init(arguments: ["run", "--tape-size", "99999999999999999999", "PROG"], message: "The value \'99999999999999999999\' is invalid for '--tape-size"),
        .init(arguments: ["run", "--tape-size", "lots", "PROG"], message: "The value \'lots\' is invalid for '--tape-size"),
        .init(arguments: ["run", "--cell-bits", "7", "PROG"], message: "--cell-bits must be 8, 16 or 32 (got 7)"),
        .init(arguments: ["run", "--cell-bits", "-8", "PROG"], message: "--cell-bits must be 8, 16 or 32 (got -8)"),
        .init(arguments: ["run", "-O", "9", "PROG"], message: "-O must be 0, 1, 2 or 3 (got 9)"),
        .init(arguments: ["run", "-O", "-1", "PROG"], message: "-O must be 0, 1, 2 or 3 (got -1)"),
        .init(arguments: ["run", "--eof", "bogus", "PROG"], message: "--eof must be unchanged, zero or minus-one (got 'bogus')"),
        .init(arguments: ["run", "--backend", "", "PROG"], message: "The value \'\' is invalid for '--backend"),
        .init(arguments: ["run", "--backend", "gpu", "PROG"], message: "The value \'gpu\' is invalid for '--backend"),
        .init(arguments: ["run", "--llvm-engine", "interp", "PROG"], message: "The value \'interp\' is invalid for '--llvm-engine"),
        .init(arguments: ["run", "--language", "c", "PROG"], message: "The value \'c\' is invalid for '--language"),
        .init(arguments: ["run", "--frobnicate", "PROG"], message: "Unknown option '--frobnicate'"),
        .init(arguments: ["run"], message: "Missing expected argument '<file>'"),
        .init(arguments: ["launch", "PROG"], message: "2 unexpected arguments: 'launch'"),
        .init(arguments: ["compare", "PROG", "--runs", "0"], message: "\(runsLimit) (got 0)"),
        .init(arguments: ["compare", "PROG", "--runs", "-1"], message: "\(runsLimit) (got -1)"),
        .init(arguments: ["compare", "PROG", "--runs", "1000001"], message: "\(runsLimit) (got 1000001)"),
        .init(arguments: ["compare", "PROG", "--runs", String(Int.max), "--warmup", String(Int.max)], message: "\(runsLimit) (got \(Int.max))"),
        .init(arguments: ["compare", "PROG", "--warmup", "-1"], message: "--warmup must be between 0 and 1000000 (got -1)"),
        .init(arguments: ["compare", "PROG", "--warmup", String(Int.max)], message: "--warmup must be between 0 and 1000000"),
        .init(arguments: ["compare", "PROG", "--backends", ""], message: "--backends names no backend"),
        .init(arguments: ["compare", "PROG", "--backends", " , "], message: "unknown backend '' in --backends"),
        .init(arguments: ["compare", "PROG", "--backends", "x86,gpu"], message: "unknown backend 'gpu' in --backends"),
        .init(arguments: ["compare", "PROG", "--backends", "x86,llvm,x86"], message: "backend 'x86' is listed twice in --backends"),
        .init(arguments: ["compare", "PROG", "--cell-bits", "12"], message: "--cell-bits must be 8, 16 or 32 (got 12)"),
        .init(arguments: ["compare", "PROG", "-O", "4"], message: "-O must be 0, 1, 2 or 3 (got 4)"),
        .init(arguments: ["dump", "--asm", "--side-by-side", "--width", "3", "PROG"], message: "\(widthLimit) (got 3)"),
        .init(arguments: ["dump", "--asm", "--side-by-side", "--width", "-3", "PROG"], message: "\(widthLimit) (got -3)"),
        .init(arguments: ["dump", "--asm", "--side-by-side", "--width", "1001", "PROG"], message: "\(widthLimit) (got 1001)"),
        .init(arguments: ["dump", "--asm", "--side-by-side", "--width", "99999999999999", "PROG"], message: "\(widthLimit) (got 99999999999999)"),
        .init(arguments: ["dump", "--asm", "--width", "80", "PROG"], message: "--width applies only to --asm --side-by-side"),
        .init(arguments: ["dump", "--asm", "--stage", "before", "PROG"], message: "--stage applies only to --ir, --llvm-ir and --bf"),
        .init(arguments: ["dump", "--ir", "--stage", "later", "PROG"], message: "The value \'later\' is invalid for '--stage"),
        .init(arguments: ["dump", "--asm", "--backend", "interp", "PROG"], message: "--asm needs --backend x86 or llvm"),
        .init(arguments: ["dump", "PROG"], message: "choose exactly one of --ir, --llvm-ir, --asm and --bf"),
        .init(arguments: ["dump", "--ir", "--asm", "PROG"], message: "choose exactly one of --ir, --llvm-ir, --asm and --bf"),
        .init(arguments: ["dump", "--llvm-ir", "-O", "9", "PROG"], message: "-O must be 0, 1, 2 or 3 (got 9)"),
        .init(arguments: ["dump", "--ir", "--tape-size", "0", "PROG"], message: "\(tapeLimit) (got 0)"),
    ]

    @Test("a bad option value is 'jitctl: error: …' and exit 1", arguments: optionCases)
    func badOption(_ c: OptionCase) throws {
        let prog = try CLI.temporaryFile("ok.bf", "+.")
        let r = try CLI.run(c.arguments.map { $0 == "PROG" ? prog : $0 })
        Self.expectUserError(r, "jitctl: error: " + c.message, c.description)
        #expect(r.stdout.isEmpty, "\(c)")
    }

    /// An absurdly wide COLUMNS still works: the side-by-side listing is capped at 1000 columns.
    @Test("COLUMNS wider than the maximum width is capped")
    func hugeColumns() throws {
        let prog = try CLI.temporaryFile("ok.bf", "+.")
        let r = try CLI.run(["dump", "--asm", "--side-by-side", prog], environment: ["COLUMNS": "99999999999999"])
        #expect(r.status == 0 && !r.signalled, "\(r.stderr)")
        let widest = r.stdoutText.split(separator: "\n").map(\.count).max() ?? 0
        #expect(widest > 160 && widest <= 1000, "widest line \(widest)")
    }

    @Test("--call syntax errors are positioned in the call text", arguments: [
        ("f(", "<call>:1:3: error: expected an integer argument"),
        ("f(1,", "<call>:1:5: error: expected an integer argument"),
        ("1f()", "<call>:1:1: error: expected a function name"),
        ("", "<call>:1:1: error: expected a function name"),
        ("f(x)", "<call>:1:3: error: expected an integer argument, found 'x'"),
        ("f() g", "<call>:1:5: error: unexpected text after the call"),
        ("f(99999999999999999999)", "<call>:1:3: error: argument 99999999999999999999 does not fit in 64 bits"),
    ])
    func badCall(call: String, message: String) throws {
        let sbc = try CLI.temporaryFile("f.sbc", "def f(a):\n    LOAD_FAST a\n    RETURN_VALUE\n")
        Self.expectUserError(try CLI.run(["run", sbc, "--call", call]), message, "--call '\(call)'")
    }

    @Test("--call with a Brainfuck program, or without it for bytecode, is an error")
    func callMismatch() throws {
        let bf = try CLI.temporaryFile("ok.bf", "+.")
        Self.expectUserError(try CLI.run(["run", bf, "--call", "f()"]), "\(bf): error: --call applies to .sbc and .py programs", "bf --call")
        let sbc = try CLI.temporaryFile("f.sbc", "def f():\n    LOAD_CONST 1\n    RETURN_VALUE\n")
        Self.expectUserError(try CLI.run(["run", sbc]), "\(sbc): error: a sbc program needs --call", "sbc without --call")
        Self.expectUserError(try CLI.run(["run", sbc, "--call", "g()"]), "\(sbc): error: no function named 'g'", "unknown function")
        Self.expectUserError(try CLI.run(["run", sbc, "--call", "f(1)"]), "'f' takes 0 argument(s), but the call passes 1", "arity")
    }

    // MARK: files

    /// Every command that reads a program, with `file` as the program.
    static func everyCommand(_ file: String) -> [[String]] {
        let call = file.hasSuffix(".bf") || file.hasSuffix(".ir") ? [] : ["--call", "f()"]
        return [["run", file] + call, ["compare", file, "--runs", "1", "--warmup", "0"] + call, ["dump", "--ir", file] + call]
    }

    @Test("a missing file is 'FILE: error: no such file'", arguments: ["absent.bf", "absent.sbc", "absent.ir", "absent.py"])
    func missingFile(name: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jitctl-no-such-dir-\(UUID().uuidString)/\(name)").path
        for args in Self.everyCommand(path) {
            Self.expectUserError(try CLI.run(args), "\(path): error: no such file", args.joined(separator: " "))
        }
        // Before complaining about a missing --call, which would not help.
        Self.expectUserError(try CLI.run(["run", path]), "\(path): error: no such file", "run \(name) without --call")
    }

    @Test("a directory as the program is 'FILE: error: is a directory'", arguments: ["dir.bf", "dir.sbc", "dir.ir", "dir.py"])
    func directory(name: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jitctl-cli-\(UUID().uuidString)/\(name)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        for args in Self.everyCommand(dir.path) {
            Self.expectUserError(try CLI.run(args), "\(dir.path): error: is a directory, not a program file", args.joined(separator: " "))
        }
    }

    /// root reads a file whatever its mode, so there is nothing to test as root (CI runs the
    /// tests as root in a container). Run as another user, it is an error, not a crash.
    @Test("an unreadable file is 'FILE: error: cannot read the file: permission denied'",
          .enabled(if: getuid() != 0, "root can read a file with mode 000"),
          arguments: ["locked.bf", "locked.sbc", "locked.ir"])
    func unreadable(name: String) throws {
        let path = try CLI.temporaryFile(name, "+.")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
        for args in Self.everyCommand(path) {
            Self.expectUserError(try CLI.run(args), "\(path): error: cannot read the file: permission denied", args.joined(separator: " "))
        }
    }

    /// Bytes that are not UTF-8 (and a NUL): comments to Brainfuck, errors in the text formats.
    static let junk: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0xE9, 0xFF, 0x00, 0x80, 0xC3, 0x28, 0x0A, 0xFE]

    @Test("binary junk in .sbc or .ir is a positioned UTF-8 error", arguments: ["junk.sbc", "junk.ir"])
    func binaryJunk(name: String) throws {
        let path = try CLI.temporaryFile(name, Self.junk)
        for args in Self.everyCommand(path) {
            // The first invalid byte, 0xE9 followed by 0xFF, is the 9th byte of line 1.
            Self.expectUserError(try CLI.run(args), "\(path):1:9: error: invalid UTF-8 (byte 0xE9)", args.joined(separator: " "))
        }
    }

    @Test("binary junk in .bf is a valid program (every other byte is a comment)")
    func binaryJunkBrainfuck() throws {
        let path = try CLI.temporaryFile("junk.bf", Self.junk)
        let r = try CLI.run(["run", path])
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stderr)")
    }

    @Test("binary junk in .py is a Python error naming the file", .enabled(if: CLI.hasSupportedPython3, CLI.noPython3))
    func binaryJunkPython() throws {
        let path = try CLI.temporaryFile("junk.py", Self.junk)
        Self.expectUserError(try CLI.run(["run", path, "--call", "f()"]), "\(path):", "junk.py")
        Self.expectUserError(try CLI.run(["run", path, "--call", "f()"]), "error: SyntaxError", "junk.py")
    }

    @Test("invalid UTF-8 after valid text points at its line and column", arguments: ["text.sbc", "text.ir"])
    func invalidUTF8(name: String) throws {
        // Line 2 has "é" (two bytes, one column) before the bad byte.
        let bytes = Array("; ok\n; é ".utf8) + [0xFF] + Array("\n".utf8)
        let path = try CLI.temporaryFile(name, bytes)
        Self.expectUserError(try CLI.run(Self.everyCommand(path)[0]), "\(path):2:5: error: invalid UTF-8 (byte 0xFF)", name)
    }

    @Test("an empty .sbc or .ir file has no function to run", arguments: ["empty.sbc", "empty.ir"])
    func emptyFile(name: String) throws {
        let path = try CLI.temporaryFile(name, [UInt8]())
        let entry = name.hasSuffix(".ir") ? "main" : "f"
        for args in Self.everyCommand(path) {
            Self.expectUserError(try CLI.run(args), "\(path): error: no function named '\(entry)'", args.joined(separator: " "))
        }
    }

    @Test("an empty .py file has no function to run", .enabled(if: CLI.hasSupportedPython3, CLI.noPython3))
    func emptyPython() throws {
        let path = try CLI.temporaryFile("empty.py", [UInt8]())
        Self.expectUserError(try CLI.run(["run", path, "--call", "f()"]), "\(path): error: no function 'f' in the file", "empty.py")
    }

    @Test("a --python that is not a usable CPython is an error naming the program")
    func badPython() throws {
        let py = try CLI.temporaryFile("f.py", "def f():\n    return 1\n")
        Self.expectUserError(try CLI.run(["run", py, "--call", "f()", "--python", "/nonexistent/python3"]), "\(py): error: cannot run", "missing python")
        Self.expectUserError(try CLI.run(["run", py, "--call", "f()", "--python", "/bin/false"]), "\(py): error:", "/bin/false")
    }

    // MARK: compare's files

    @Test("compare: a missing or directory --input is an error, before any run")
    func compareInput() throws {
        let prog = try CLI.temporaryFile("ok.bf", "+.")
        let dir = FileManager.default.temporaryDirectory.path
        var r = try CLI.run(["compare", prog, "--input", dir])
        Self.expectUserError(r, "\(dir): error: is a directory, not an input file", "--input DIR")
        r = try CLI.run(["compare", prog, "--input", "/nonexistent/in.txt"])
        Self.expectUserError(r, "/nonexistent/in.txt: error: no such file", "--input missing")
        #expect(r.stdout.isEmpty)
        // Devices read as input: /dev/null is empty input.
        r = try CLI.run(["compare", prog, "--input", "/dev/null", "--runs", "1", "--warmup", "0", "--backends", "interp"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test("compare: an export path that cannot be written is an error before any run",
          arguments: ["--export-json", "--export-markdown"])
    func compareExport(option: String) throws {
        let prog = try CLI.temporaryFile("ok.bf", "+.")
        var r = try CLI.run(["compare", prog, option, "/nonexistent/dir/report"])
        Self.expectUserError(r, "/nonexistent/dir/report: error: cannot write: no such directory '/nonexistent/dir'", option)
        #expect(r.stdout.isEmpty, "nothing ran: \(r.stdoutText)")
        let dir = FileManager.default.temporaryDirectory.path
        r = try CLI.run(["compare", prog, option, dir])
        Self.expectUserError(r, "\(dir): error: cannot write: is a directory", option)
        #expect(r.stdout.isEmpty)
    }

    // MARK: the largest tape

    @Test("the largest tape (2^28 cells) runs")
    func largestTape() throws {
        let prog = try CLI.temporaryFile("ok.bf", "+.>+.")
        // The interpreter maps the tape lazily; the native backends zero all of it (1 GiB at 32 bits),
        // so they get the same number of 8-bit cells.
        var r = try CLI.run(["run", "--backend", "interp", "--tape-size", "268435456", "--cell-bits", "32", prog])
        #expect(r.status == 0 && r.stdout == [1, 1], "\(r.stderr)")
        r = try CLI.run(["run", "--backend", "x86", "--tape-size", "268435456", prog])
        #expect(r.status == 0 && r.stdout == [1, 1], "\(r.stderr)")
    }

    /// With 768 MiB of address space (a few times what jitctl needs), 1 GiB of tape cannot be
    /// had: every backend says so and exits 1.
    @Test("a tape that cannot be allocated is an error, not a crash", arguments: ["interp", "x86", "llvm"])
    func tapeTooLargeToAllocate(backend: String) throws {
        let prog = try CLI.temporaryFile("ok.bf", "+.")
        let limit = 768 << 10
        let fits = try CLI.run(limitingVirtualMemoryTo: limit, ["run", "--backend", backend, prog])
        #expect(fits.status == 0 && fits.stdout == [1], "a default tape fits in the limit: \(fits.stderr)")
        let r = try CLI.run(limitingVirtualMemoryTo: limit, ["run", "--backend", backend, "--tape-size", "268435456", "--cell-bits", "32", prog])
        Self.expectUserError(r, "jitctl: error: ", backend)
        #expect(r.stderr.contains("1073741824 bytes"), "\(r.stderr)")
    }
}
