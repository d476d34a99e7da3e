// swift-tools-version:6.0
// A package that uses jitctl as a library, the way another project would: by path here, by URL
// elsewhere. `swift run -c release` builds a function, compiles it on x86 and LLVM, and calls it.
import PackageDescription

let package = Package(
    name: "swift-consumer",
    dependencies: [
        .package(name: "jitctl", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "Consumer", dependencies: [.product(name: "JitCtl", package: "jitctl")]),
    ]
)
