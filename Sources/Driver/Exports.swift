// The library's core (reading, lowering, running, the LLVM services) is its own module so that
// the `jitctl` executable can link it without Foundation; `import JitCtl` still brings it all.
@_exported import JitCtlCore
