// The library's core (reading, lowering, running, the LLVM services) is its own module so that
// the `jitctl` executable can link it without Foundation; `import JitCtl` still brings it all.
@_exported import JitCtlCore
// What the library's API uses is part of `import JitCtl` too: the IR (modules, builders, traps,
// I/O) and the frontends' types a user builds programs with.
@_exported import JitIR
@_exported import struct BFFrontend.BFOptions
@_exported import enum BytecodeFrontend.BytecodeFrontend
@_exported import struct BytecodeFrontend.BytecodeBuilder
@_exported import struct BytecodeFrontend.BytecodeModule
@_exported import struct BytecodeFrontend.BytecodeFunction
@_exported import enum BytecodeFrontend.BytecodeOp
@_exported import struct BytecodeFrontend.BytecodeLabel
@_exported import struct BytecodeFrontend.BytecodeInstruction
@_exported import enum BytecodeFrontend.BinaryOperator
@_exported import enum BytecodeFrontend.ComparisonOperator
