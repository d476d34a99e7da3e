import CLLVM
import JitIR

/// Reads the defined code symbols of an in-memory object file with the LLVM-C Object API.
enum ObjectFileSymbols {
    /// `.text` and its variants; with the large code model (JIT default) LLVM 19 names it `.ltext`.
    private static func isCode(_ section: String) -> Bool {
        section.hasPrefix(".text") || section.hasPrefix(".ltext")
    }

    /// A defined code symbol: its section, where it starts in the section, and its bytes.
    struct Symbol {
        var name: String
        var section: String
        var offset: UInt64
        var bytes: [UInt8]
    }

    /// The named, sized symbols in executable (`.text*`, `.ltext*`) sections, in address order, with their bytes
    /// (unrelocated: calls to hooks show zero displacements or placeholder immediates).
    static func functions(in buffer: LLVMMemoryBufferRef) throws -> [(function: String, bytes: [UInt8])] {
        try symbols(in: buffer).map { ($0.name, $0.bytes) }
    }

    /// The same symbols with their sections and offsets.
    static func symbols(in buffer: LLVMMemoryBufferRef) throws -> [Symbol] {
        var error: UnsafeMutablePointer<CChar>?
        guard let binary = LLVMCreateBinary(buffer, nil, &error) else {
            throw InternalError("LLVM: cannot read the generated object file: \(LLVMSupport.take(error))")
        }
        defer { LLVMDisposeBinary(binary) }
        let symbols = LLVMObjectFileCopySymbolIterator(binary)
        let section = LLVMObjectFileCopySectionIterator(binary)
        defer {
            LLVMDisposeSymbolIterator(symbols)
            LLVMDisposeSectionIterator(section)
        }
        var found: [Symbol] = []
        while LLVMObjectFileIsSymbolIteratorAtEnd(binary, symbols) == 0 {
            defer { LLVMMoveToNextSymbol(symbols) }
            let size = LLVMGetSymbolSize(symbols)
            guard size > 0, let cName = LLVMGetSymbolName(symbols), cName.pointee != 0 else { continue }
            LLVMMoveToContainingSection(section, symbols)
            guard LLVMObjectFileIsSectionIteratorAtEnd(binary, section) == 0,
                  let cSection = LLVMGetSectionName(section), Self.isCode(String(cString: cSection)),
                  let contents = LLVMGetSectionContents(section) else { continue }
            let start = LLVMGetSymbolAddress(symbols) &- LLVMGetSectionAddress(section)
            guard start <= LLVMGetSectionSize(section), size <= LLVMGetSectionSize(section) - start else { continue }
            let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(contents) + Int(start), count: Int(size))
            found.append(Symbol(name: String(cString: cName), section: String(cString: cSection), offset: start,
                                bytes: Array(bytes)))
        }
        found.sort { ($0.section, $0.offset) < ($1.section, $1.offset) }
        return found
    }
}
