import LLVMBackend

// This file imports only LLVMBackend: the driver has an `LLVMEngineKind` of its own, and in a file
// that imports both, neither name can be spelled (`LLVMBackend.` names the struct, not the module).

/// The LLVM backend's engine with the driver's name for it (`orc`, `mcjit`).
func backendEngine(named name: String) -> LLVMEngineKind {
    LLVMEngineKind(rawValue: name) ?? .orc
}
