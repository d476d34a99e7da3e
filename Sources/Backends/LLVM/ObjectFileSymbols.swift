#if canImport(Glibc)
import Glibc
#endif
import CLLVM
import JitIR

/// Reads the defined code symbols of an in-memory object file with the LLVM-C Object API.
///
/// The CLLVM shim does not include `llvm-c/Object.h`, so the few functions needed are bound
/// from the already loaded libLLVM by name; their C signatures are identical in LLVM 14 to 19.
enum ObjectFileSymbols {
    private typealias CreateBinary = @convention(c) (
        LLVMMemoryBufferRef?, LLVMContextRef?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> OpaquePointer?
    private typealias Dispose = @convention(c) (OpaquePointer?) -> Void
    private typealias CopyIterator = @convention(c) (OpaquePointer?) -> OpaquePointer?
    private typealias IsAtEnd = @convention(c) (OpaquePointer?, OpaquePointer?) -> LLVMBool
    private typealias MoveNext = @convention(c) (OpaquePointer?) -> Void
    private typealias MoveToContaining = @convention(c) (OpaquePointer?, OpaquePointer?) -> Void
    private typealias GetString = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    private typealias GetNumber = @convention(c) (OpaquePointer?) -> UInt64

    /// The Object API entry points, or nil when the library lacks them.
    private struct API {
        let createBinary: CreateBinary
        let disposeBinary: Dispose
        let copySections: CopyIterator
        let sectionsAtEnd: IsAtEnd
        let disposeSections: Dispose
        let copySymbols: CopyIterator
        let symbolsAtEnd: IsAtEnd
        let disposeSymbols: Dispose
        let nextSymbol: MoveNext
        let moveToContainingSection: MoveToContaining
        let sectionName: GetString
        let sectionContents: GetString
        let sectionAddress: GetNumber
        let sectionSize: GetNumber
        let symbolName: GetString
        let symbolAddress: GetNumber
        let symbolSize: GetNumber
    }

    private static func bind<T>(_ name: String, as: T.Type) -> T? {
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, name) else { return nil }
        return unsafeBitCast(symbol, to: T.self)
    }

    private static let api: API? = {
        guard let createBinary = bind("LLVMCreateBinary", as: CreateBinary.self),
              let disposeBinary = bind("LLVMDisposeBinary", as: Dispose.self),
              let copySections = bind("LLVMObjectFileCopySectionIterator", as: CopyIterator.self),
              let sectionsAtEnd = bind("LLVMObjectFileIsSectionIteratorAtEnd", as: IsAtEnd.self),
              let disposeSections = bind("LLVMDisposeSectionIterator", as: Dispose.self),
              let copySymbols = bind("LLVMObjectFileCopySymbolIterator", as: CopyIterator.self),
              let symbolsAtEnd = bind("LLVMObjectFileIsSymbolIteratorAtEnd", as: IsAtEnd.self),
              let disposeSymbols = bind("LLVMDisposeSymbolIterator", as: Dispose.self),
              let nextSymbol = bind("LLVMMoveToNextSymbol", as: MoveNext.self),
              let moveToContainingSection = bind("LLVMMoveToContainingSection", as: MoveToContaining.self),
              let sectionName = bind("LLVMGetSectionName", as: GetString.self),
              let sectionContents = bind("LLVMGetSectionContents", as: GetString.self),
              let sectionAddress = bind("LLVMGetSectionAddress", as: GetNumber.self),
              let sectionSize = bind("LLVMGetSectionSize", as: GetNumber.self),
              let symbolName = bind("LLVMGetSymbolName", as: GetString.self),
              let symbolAddress = bind("LLVMGetSymbolAddress", as: GetNumber.self),
              let symbolSize = bind("LLVMGetSymbolSize", as: GetNumber.self)
        else { return nil }
        return API(createBinary: createBinary, disposeBinary: disposeBinary, copySections: copySections,
                   sectionsAtEnd: sectionsAtEnd, disposeSections: disposeSections, copySymbols: copySymbols,
                   symbolsAtEnd: symbolsAtEnd, disposeSymbols: disposeSymbols, nextSymbol: nextSymbol,
                   moveToContainingSection: moveToContainingSection, sectionName: sectionName,
                   sectionContents: sectionContents, sectionAddress: sectionAddress, sectionSize: sectionSize,
                   symbolName: symbolName, symbolAddress: symbolAddress, symbolSize: symbolSize)
    }()

    /// `.text` and its variants; with the large code model (JIT default) LLVM 19 names it `.ltext`.
    private static func isCode(_ section: String) -> Bool {
        section.hasPrefix(".text") || section.hasPrefix(".ltext")
    }

    /// The named, sized symbols in executable (`.text*`, `.ltext*`) sections, in address order, with their bytes
    /// (unrelocated: calls to hooks show zero displacements or placeholder immediates).
    static func functions(in buffer: LLVMMemoryBufferRef) throws -> [(function: String, bytes: [UInt8])] {
        guard let api else { throw InternalError("LLVM: the Object API is not available in this libLLVM") }
        var error: UnsafeMutablePointer<CChar>?
        guard let binary = api.createBinary(buffer, nil, &error) else {
            throw InternalError("LLVM: cannot read the generated object file: \(LLVMSupport.take(error))")
        }
        defer { api.disposeBinary(binary) }
        let symbols = api.copySymbols(binary)
        let section = api.copySections(binary)
        defer {
            api.disposeSymbols(symbols)
            api.disposeSections(section)
        }
        var found: [(section: String, address: UInt64, function: String, bytes: [UInt8])] = []
        while api.symbolsAtEnd(binary, symbols) == 0 {
            defer { api.nextSymbol(symbols) }
            let size = api.symbolSize(symbols)
            guard size > 0, let cName = api.symbolName(symbols), cName.pointee != 0 else { continue }
            api.moveToContainingSection(section, symbols)
            guard api.sectionsAtEnd(binary, section) == 0,
                  let cSection = api.sectionName(section), Self.isCode(String(cString: cSection)),
                  let contents = api.sectionContents(section) else { continue }
            let start = api.symbolAddress(symbols) &- api.sectionAddress(section)
            guard start <= api.sectionSize(section), size <= api.sectionSize(section) - start else { continue }
            let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(contents) + Int(start), count: Int(size))
            found.append((String(cString: cSection), start, String(cString: cName), Array(bytes)))
        }
        found.sort { ($0.section, $0.address) < ($1.section, $1.address) }
        return found.map { ($0.function, $0.bytes) }
    }
}
