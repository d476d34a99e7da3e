// swift-tools-version:6.0
import PackageDescription
import Foundation

/// LLVM major version whose headers and library we build against.
/// Debian's `llvm-dev` is 14; `JITCTL_LLVM=19 swift build` selects llvm-19-dev.
let llvmVersion = ProcessInfo.processInfo.environment["JITCTL_LLVM"] ?? "14"
let otherHeaderDirs = ["llvm14", "llvm19"].filter { $0 != "llvm\(llvmVersion)" }

let package = Package(
    name: "jitctl",
    products: [
        .library(name: "JitCtl", targets: ["JitCtl"]),
        .executable(name: "jitctl", targets: ["jitctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "CLLVM",
            path: "Sources/CLLVM",
            exclude: otherHeaderDirs,
            publicHeadersPath: "llvm\(llvmVersion)",
            linkerSettings: [.linkedLibrary("LLVM-\(llvmVersion)")]
        ),
        .target(name: "JitIR", path: "Sources/IR"),
        .target(name: "BFFrontend", dependencies: ["JitIR"], path: "Sources/Frontends/BF"),
        .target(name: "BytecodeFrontend", dependencies: ["JitIR"], path: "Sources/Frontends/Bytecode"),
        .target(name: "NativeCode", dependencies: ["JitIR"], path: "Sources/Backends/Native"),
        .target(name: "X86Backend", dependencies: ["JitIR", "NativeCode"], path: "Sources/Backends/X86"),
        .target(name: "LLVMBackend", dependencies: ["JitIR", "NativeCode", "CLLVM"], path: "Sources/Backends/LLVM"),
        .target(
            name: "JitCtl",
            dependencies: ["JitIR", "BFFrontend", "BytecodeFrontend", "NativeCode", "X86Backend", "LLVMBackend"],
            path: "Sources/Driver"
        ),
        .target(
            name: "JitCtlCommands",
            dependencies: ["JitCtl", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands"
        ),
        .executableTarget(name: "jitctl", dependencies: ["JitCtlCommands"], path: "Sources/jitctl"),

        .target(name: "TestSupport", dependencies: ["JitIR", "JitCtl"], path: "Tests/Support"),
        .testTarget(name: "IRTests", dependencies: ["JitIR", "TestSupport"], path: "Tests/IRTests"),
        .testTarget(name: "BFTests", dependencies: ["BFFrontend", "JitIR", "TestSupport"], path: "Tests/BFTests"),
        .testTarget(name: "BytecodeTests", dependencies: ["BytecodeFrontend", "JitIR", "TestSupport", "JitCtl"], path: "Tests/BytecodeTests"),
        .testTarget(name: "NativeTests", dependencies: ["NativeCode", "X86Backend", "LLVMBackend", "JitIR", "TestSupport", "CLLVM"], path: "Tests/NativeTests"),
        .testTarget(name: "X86Tests", dependencies: ["X86Backend", "NativeCode", "BFFrontend", "JitIR", "TestSupport", "LLVMBackend"], path: "Tests/X86Tests"),
        .testTarget(name: "LLVMTests", dependencies: ["LLVMBackend", "BFFrontend", "JitIR", "TestSupport", "CLLVM"], path: "Tests/LLVMTests"),
        .testTarget(name: "DriverTests", dependencies: ["JitCtl", "JitCtlCommands", "TestSupport", "BFFrontend", "JitIR"], path: "Tests/DriverTests"),
    ]
)
