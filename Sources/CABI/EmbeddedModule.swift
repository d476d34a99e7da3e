import BytecodeFrontend
import JitIR
import LLVMBackend
import NativeCode
import X86Backend

/// What a `jitctl_module *` points at (retained through `Unmanaged`): a compiled program and
/// a `DirectCall` block for each of its embeddable functions.
final class EmbeddedModule {
    enum Backend: Int32 {
        case auto = 0, x86 = 1, llvm = 2
    }

    /// The source's name, for trap messages.
    let file: String
    /// Keeps the code and the native context alive.
    private let program: any CompiledProgram
    private let sites: [Trap]
    private let siteCodes: UnsafeMutablePointer<Int32>
    private let blocks: [String: UnsafeMutableRawPointer]

    /// Compiles `module` (bytecode) with `backend`.
    /// - Throws: `SourceError` for the program, `BackendFailure` for the backend.
    init(_ module: BytecodeModule, file: String, backend: Backend) throws {
        let ir = try BytecodeFrontend.lower(module)
        try IRVerifier.verify(ir)
        self.file = file
        var entries: [String: NativeEntry] = [:]
        do {
            switch backend {
            case .auto, .x86:
                let compiled = try X86Backend().compileProgram(ir)
                program = compiled
                for f in ir.functions { entries[f.name] = compiled.nativeEntry(f.name) }
            case .llvm:
                guard let compiled = try LLVMBackend().compile(ir) as? LLVMCompiledProgram else {
                    throw BackendFailure(message: "the LLVM backend made no LLVMCompiledProgram")
                }
                program = compiled
                for f in ir.functions { entries[f.name] = compiled.nativeEntry(f.name) }
            }
        } catch let error as BackendFailure {
            throw error
        } catch {
            throw BackendFailure(message: "\(backend == .llvm ? "llvm" : "x86"): \(error)")
        }
        // Every entry of a program shares its one table of trap sites.
        let allSites = entries.first?.value.sites ?? []
        siteCodes = .allocate(capacity: max(1, allSites.count))
        for (k, trap) in allSites.enumerated() { siteCodes[k] = CStatus.trap(trap.kind) }
        var blocks: [String: UnsafeMutableRawPointer] = [:]
        for (name, entry) in entries { blocks[name] = DirectCall.makeBlock(entry, siteStatuses: siteCodes) }
        self.blocks = blocks
        self.sites = allSites
    }

    deinit {
        for block in blocks.values { DirectCall.free(block) }
        siteCodes.deallocate()
    }

    /// The block of function `name`, if the module has such an int64 function.
    func function(_ name: String) -> UnsafeMutableRawPointer? { blocks[name] }

    /// The trap a call reported at `site`.
    func trap(site: Int64) -> Trap? {
        sites.indices.contains(Int(site)) ? sites[Int(site)] : nil
    }
}

/// A backend that could not compile a verified program, or is not available.
struct BackendFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
