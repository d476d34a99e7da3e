import CLLVM
import JitIR

/// One-time LLVM process setup and the small conversions every file needs.
enum LLVMSupport {
    /// Registers the host target (code generator, assembler printer, disassembler) and links MCJIT in.
    /// Evaluated once per process; `swift_once` makes it thread-safe.
    static let initialized: Bool = {
        let failed = LLVMInitializeNativeTarget() != 0
            || LLVMInitializeNativeAsmPrinter() != 0
            || LLVMInitializeNativeAsmParser() != 0
            || LLVMInitializeNativeDisassembler() != 0
        LLVMLinkInMCJIT()
        return !failed
    }()

    static func ensureInitialized() throws {
        guard initialized else { throw InternalError("LLVM: the host target is not available") }
    }

    /// The text of an `LLVMErrorRef`, which this consumes.
    static func message(of error: LLVMErrorRef) -> String {
        guard let c = LLVMGetErrorMessage(error) else { return "unknown LLVM error" }
        defer { LLVMDisposeErrorMessage(c) }
        return String(cString: c)
    }

    /// Throws an `InternalError` for a non-nil `LLVMErrorRef`.
    static func check(_ error: LLVMErrorRef?, _ what: @autoclosure () -> String) throws {
        if let error { throw InternalError("LLVM \(what()): \(message(of: error))") }
    }

    /// A string LLVM allocated with `malloc`-like ownership (`LLVMDisposeMessage`), freed here.
    static func take(_ message: UnsafeMutablePointer<CChar>?) -> String {
        guard let message else { return "" }
        defer { LLVMDisposeMessage(message) }
        return String(cString: message)
    }
}
