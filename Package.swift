// swift-tools-version:6.0
import PackageDescription
import Foundation

/// LLVM major version whose headers and library we build against.
/// Debian's `llvm-dev` is 14; `JITCTL_LLVM=19 swift build` selects llvm-19-dev.
let llvmVersion = ProcessInfo.processInfo.environment["JITCTL_LLVM"] ?? "14"
let otherHeaderDirs = ["llvm14", "llvm19"].filter { $0 != "llvm\(llvmVersion)" }

/// How the two executables are linked so that they start fast (README, "Start-up"):
/// - `-static-stdlib`: the Swift runtime and Foundation are linked in, so the loader neither
///   maps nor binds libswiftCore, Foundation and ICU at each start;
/// - `-no-pie`: addresses are fixed at link time, so the loader has no relative relocations to
///   apply (160,000 in `jitctl-llvm`) and no pages to copy for them;
/// - lld, the toolchain's linker, which resolves static archives in any order.
/// These are `unsafeFlags`, which SwiftPM refuses in a dependency, so they stay on the
/// executables; the library product and the tests link as usual.
let fastStartLinking = ["-use-ld=lld", "-static-stdlib", "-Xclang-linker", "-no-pie"]
/// Foundation's static archives that autolinking leaves out when Foundation is linked statically.
let staticFoundationArchives = ["_FoundationICU", "_FoundationCollections", "_FoundationCShims", "FoundationEssentials",
                                "CoreFoundation", "swiftSynchronization"].map { "-l\($0)" }

/// How `jitctl-llvm` links LLVM: statically when Debian's component archives are installed
/// (`/usr/lib/llvm-N/lib/libLLVM*.a`, in llvm-N-dev), because the shared libLLVM costs ~14 ms
/// (LLVM 14) to ~20 ms (LLVM 19) of dynamic relocation at every start; otherwise the shared
/// library. The linker takes only the archive members the backend reaches, so listing them all is
/// enough. The system libraries below are those the members need: LLVM 14's `llvm-config
/// --system-libs`, and for LLVM 19 zstd too, whose runtime library libLLVM-19 depends on (no
/// `-dev` package is needed: it is linked by its path, and without it LLVM 19 links shared).
let llvmLibDir = "/usr/lib/llvm-\(llvmVersion)/lib"
let zstdRuntime = "/usr/lib/x86_64-linux-gnu/libzstd.so.1"
let llvmSystemLibraries = ["-lstdc++", "-lz", "-ltinfo", "-lm", "-ldl", "-lpthread"]
    + (llvmVersion == "14" ? [] : ["-Xlinker", zstdRuntime])
let staticLLVMPossible = ["14", "19"].contains(llvmVersion)
    && (llvmVersion == "14" || FileManager.default.fileExists(atPath: zstdRuntime))
let llvmArchives = !staticLLVMPossible ? [] : ((try? FileManager.default.contentsOfDirectory(atPath: llvmLibDir)) ?? [])
    .filter { $0.hasPrefix("libLLVM") && $0.hasSuffix(".a") }.sorted()
let llvmExecutableLinking: [LinkerSetting] = llvmArchives.isEmpty
    ? [.linkedLibrary("LLVM-\(llvmVersion)")]
    : [.unsafeFlags(fastStartLinking + llvmArchives.flatMap { ["-Xlinker", "\(llvmLibDir)/\($0)"] } + staticFoundationArchives
                    + ["-Xlinker", "--as-needed"] + llvmSystemLibraries)]

let package = Package(
    name: "jitctl",
    products: [
        // JitCtlLLVM makes the `llvm` backend work in a client; LLVMSharedLibrary links libLLVM for it.
        .library(name: "JitCtl", targets: ["JitCtl", "JitCtlLLVM", "LLVMSharedLibrary"]),
        .executable(name: "jitctl", targets: ["jitctl"]),
        .executable(name: "jitctl-llvm", targets: ["jitctl-llvm"]),
        // The C ABI (include/jitctl.h) as libJitCtlC.so, for embedding; the Python package uses it.
        .library(name: "JitCtlC", type: .dynamic, targets: ["JitCtlC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "CLLVM",
            path: "Sources/CLLVM",
            exclude: otherHeaderDirs,
            publicHeadersPath: "llvm\(llvmVersion)"
        ),
        .target(name: "LLVMSharedLibrary", path: "Sources/LLVMSharedLibrary",
                linkerSettings: [.linkedLibrary("LLVM-\(llvmVersion)")]),
        .target(name: "JitIR", path: "Sources/IR"),
        .target(name: "BFFrontend", dependencies: ["JitIR"], path: "Sources/Frontends/BF"),
        .target(name: "BytecodeFrontend", dependencies: ["JitIR"], path: "Sources/Frontends/Bytecode"),
        .target(name: "NativeCode", dependencies: ["JitIR", "CJitCtlStack"], path: "Sources/Backends/Native"),
        .target(name: "X86Backend", dependencies: ["JitIR", "NativeCode"], path: "Sources/Backends/X86"),
        .target(name: "LLVMBackend", dependencies: ["JitIR", "NativeCode", "CLLVM"], path: "Sources/Backends/LLVM"),
        .target(
            name: "JitCtlCore",
            dependencies: ["JitIR", "BFFrontend", "BytecodeFrontend", "NativeCode", "X86Backend"],
            path: "Sources/DriverCore"
        ),
        .target(
            name: "JitCtl",
            dependencies: ["JitCtlCore", "JitIR", "BFFrontend", "BytecodeFrontend", "NativeCode", "X86Backend"],
            path: "Sources/Driver"
        ),
        .target(name: "JitCtlLLVM", dependencies: ["JitCtlCore", "JitIR", "NativeCode", "LLVMBackend"], path: "Sources/DriverLLVM"),
        // `jitctl run` on interp and x86, without LLVM, Foundation or ArgumentParser: the `jitctl` executable.
        .target(
            name: "JitCtlRun",
            dependencies: ["JitCtlCore", "JitIR", "BFFrontend"],
            path: "Sources/RunCommand"
        ),
        // The whole CLI: the `jitctl-llvm` executable.
        .target(
            name: "JitCtlCommands",
            dependencies: ["JitCtl", "JitCtlRun", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands"
        ),
        // The Swift runtime linked in: no dynamic loading and symbol lookup of libswiftCore and
        // its companions at each start (~0.7 ms of ~3).
        .executableTarget(name: "jitctl", dependencies: ["JitCtlRun"], path: "Sources/jitctl",
                          linkerSettings: [.unsafeFlags(fastStartLinking)]),
        .executableTarget(name: "jitctl-llvm", dependencies: ["JitCtlCommands", "JitCtlLLVM"], path: "Sources/jitctl-llvm",
                          linkerSettings: llvmExecutableLinking),
        .target(name: "CJitCtlStack", path: "Sources/CJitCtlStack"),
        .target(name: "JitCtlC",
                dependencies: ["JitIR", "BytecodeFrontend", "NativeCode", "X86Backend", "LLVMBackend", "LLVMSharedLibrary"],
                path: "Sources/CABI"),

        .target(name: "TestSupport", dependencies: ["JitIR", "JitCtl"], path: "Tests/Support"),
        .testTarget(name: "IRTests", dependencies: ["JitIR", "TestSupport"], path: "Tests/IRTests"),
        .testTarget(name: "BFTests", dependencies: ["BFFrontend", "JitIR", "TestSupport"], path: "Tests/BFTests"),
        .testTarget(name: "BytecodeTests", dependencies: ["JitCtlLLVM", "LLVMSharedLibrary", "BytecodeFrontend", "JitIR", "TestSupport", "JitCtl"], path: "Tests/BytecodeTests"),
        .testTarget(name: "NativeTests", dependencies: ["LLVMSharedLibrary", "NativeCode", "X86Backend", "LLVMBackend", "JitIR", "TestSupport", "CLLVM"], path: "Tests/NativeTests"),
        .testTarget(name: "X86Tests", dependencies: ["LLVMSharedLibrary", "X86Backend", "NativeCode", "BFFrontend", "JitIR", "TestSupport", "LLVMBackend"], path: "Tests/X86Tests"),
        .testTarget(name: "LLVMTests", dependencies: ["LLVMSharedLibrary", "LLVMBackend", "BFFrontend", "JitIR", "TestSupport", "CLLVM"], path: "Tests/LLVMTests"),
        .testTarget(name: "CABITests", dependencies: ["JitCtlC"], path: "Tests/CABITests", exclude: ["abi.sbc"]),
        .testTarget(name: "DriverTests", dependencies: ["JitCtlLLVM", "LLVMSharedLibrary", "JitCtlRun", "JitCtl", "JitCtlCommands", "TestSupport", "BFFrontend", "JitIR", "LLVMBackend"], path: "Tests/DriverTests"),
    ]
)
