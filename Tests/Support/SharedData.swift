import Foundation

/// Locates the third-party data in `../shared` (next to the repository).
/// Tests that need it skip when it is absent.
public enum SharedData {
    /// The repository root, found from this source file's path.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/Support/SharedData.swift
        return url
    }()

    /// `../shared` beside the repository, or nil when it is missing.
    public static var sharedDirectory: URL? {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue ? url : nil
    }

    /// `../shared/corpus/bf`, or nil.
    public static var bfCorpus: URL? {
        guard let s = sharedDirectory?.appendingPathComponent("corpus/bf") else { return nil }
        return FileManager.default.fileExists(atPath: s.path) ? s : nil
    }

    /// `../shared/bench/py`, or nil.
    public static var pythonBench: URL? {
        guard let s = sharedDirectory?.appendingPathComponent("bench/py") else { return nil }
        return FileManager.default.fileExists(atPath: s.path) ? s : nil
    }
}
