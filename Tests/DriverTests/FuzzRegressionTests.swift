import Foundation
import JitCtl
import Testing
import TestSupport

enum SharedDataPaths {
    static let regressions = SharedData.repositoryRoot.appendingPathComponent("Tests/FuzzRegressions").path
    static let bf2c = SharedData.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/tools/bf2c.py").path
    static let python = PythonOracle.findCPython()
}

/// Every reproducer kept in Tests/FuzzRegressions must now run the same on every engine.
@Suite("fuzz regression corpus")
struct FuzzRegressionTests {
    static let files = RegressionCorpus.files(in: SharedDataPaths.regressions).map { ($0 as NSString).lastPathComponent }
    static let nativeFiles = files.filter { !$0.hasSuffix(".py") }
    static let pythonFiles = files.filter { $0.hasSuffix(".py") }

    @Test("the corpus has a program of every language")
    func nonEmpty() {
        for ext in [".bf", ".ir", ".py"] { #expect(Self.files.contains { $0.hasSuffix(ext) }, "no \(ext) file") }
    }

    @Test("replays agree on every engine", arguments: nativeFiles)
    func replay(file: String) {
        let r = RegressionCorpus.replay(file: SharedDataPaths.regressions + "/" + file, python: nil)
        #expect(r == .agree, "\(file): \(r)")
    }

    @Test("Python replays agree on every engine and with CPython", .enabled(if: SharedDataPaths.python != nil),
          arguments: pythonFiles)
    func replayPython(file: String) {
        let r = RegressionCorpus.replay(file: SharedDataPaths.regressions + "/" + file, python: SharedDataPaths.python)
        #expect(r == .agree, "\(file): \(r)")
    }
}
