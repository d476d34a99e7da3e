#if canImport(Glibc)
import Glibc
#endif

/// `jitctl-llvm`, the part of jitctl with LLVM, installed next to `jitctl`.
package enum Companion {
    package static let name = "jitctl-llvm"

    /// `jitctl-llvm` in the directory of this executable (symbolic links resolved, so that a
    /// link to an installed jitctl works).
    package static func path() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, Int(PATH_MAX))
        guard count > 0 else { return nil }
        let executable = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = executable.lastIndex(of: "/") else { return nil }
        return executable[...slash] + name
    }
}
