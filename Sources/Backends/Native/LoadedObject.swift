#if canImport(Glibc)
import Glibc
#endif
/// Why a relocatable object file could not be loaded.
public struct ObjectLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { "object file: \(message)" }
}

/// An ELF64 x86-64 relocatable object file (`.o`) loaded into this process: its allocated sections
/// laid out in fresh pages, its relocations applied, then its code made read-execute and the rest
/// read-only (never writable and executable at once). This is how code compiled in another process
/// (the tier-up compile server, docs/tiering.md) becomes runnable here.
///
/// Supported relocations: `R_X86_64_64`, `PC32`, `PLT32`, `32`, `32S`, `PC64` and the GOT-relative
/// loads (`GOTPCREL`, `GOTPCRELX`, `REX_GOTPCRELX`), which get a slot of their own. A 32-bit
/// reference to a symbol beyond ±2 GiB goes through a stub (`jmp [rip]`) for calls and is an error
/// otherwise. `.eh_frame` is not loaded: nothing unwinds through this code.
public final class LoadedObject: @unchecked Sendable {
    // @unchecked: immutable once `init` returns.
    private let base: UnsafeMutableRawPointer
    private let mappedSize: Int
    private let symbols: [String: UInt64]
    /// The functions the object defines: name, address and size in bytes (for profilers).
    public let functions: [(name: String, address: UInt64, size: Int)]
    /// Where the code sections lie, for `contains`.
    private let code: Range<UInt64>

    /// Loads `bytes`. `resolve` gives the address of each symbol the object uses but does not define.
    public init(_ bytes: [UInt8], resolve: (String) -> UInt64?) throws(ObjectLoadError) {
        let file = try ELFFile(bytes)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))

        // Layout: code sections, then stubs, on their own pages; then the other sections and GOT slots.
        var offsets = [Int?](repeating: nil, count: file.sections.count)
        var size = 0
        func place(_ index: Int) {
            let s = file.sections[index]
            size = (size + max(Int(s.alignment), 1) - 1) / max(Int(s.alignment), 1) * max(Int(s.alignment), 1)
            offsets[index] = size
            size += Int(s.size)
        }
        let loaded = file.sections.indices.filter { file.sections[$0].isAllocated && file.name(of: $0) != ".eh_frame" }
        for i in loaded where file.sections[i].isExecutable { place(i) }
        let stubStart = (size + 15) & ~15
        let farCalls = file.relocations.filter { $0.type == .pc32 || $0.type == .plt32 }.count
        size = stubStart + 16 * farCalls
        let codeEnd = (size + page - 1) / page * page
        size = codeEnd
        for i in loaded where !file.sections[i].isExecutable { place(i) }
        let gotStart = (size + 7) & ~7
        let gotLoads = file.relocations.filter(\.type.usesGOT).count
        size = max(gotStart + 8 * gotLoads, page)
        let mapped = (size + page - 1) / page * page

        let raw = mmap(nil, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let raw, raw != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw ObjectLoadError("mmap failed: \(String(cString: strerror(errno)))")
        }
        let origin = UInt64(UInt(bitPattern: raw))
        do throws(ObjectLoadError) {
            memset(raw, 0xCC, codeEnd)  // a stray jump into the gaps stops at once
            for i in loaded {
                let s = file.sections[i]
                guard s.hasContents else { continue }  // .bss: the mapping is zeroed
                try file.copy(section: i, to: raw + offsets[i]!)
            }
            // Symbols: defined ones at their sections' places; undefined ones from `resolve`.
            var defined: [String: UInt64] = [:]
            var functions: [(name: String, address: UInt64, size: Int)] = []
            var addresses = [UInt64?](repeating: nil, count: file.symbols.count)
            for (k, sym) in file.symbols.enumerated() {
                if sym.section == ELFFile.absoluteSection {
                    addresses[k] = sym.value
                } else if sym.section != 0 {
                    guard Int(sym.section) < offsets.count, let offset = offsets[Int(sym.section)] else { continue }
                    addresses[k] = origin + UInt64(offset) + sym.value
                    if !sym.name.isEmpty && sym.isGlobalOrFunction { defined[sym.name] = addresses[k] }
                    if !sym.name.isEmpty && sym.isFunction && sym.size > 0, let a = addresses[k] {
                        functions.append((sym.name, a, Int(sym.size)))
                    }
                } else if !sym.name.isEmpty {
                    guard let address = resolve(sym.name) else { throw ObjectLoadError("undefined symbol \(sym.name)") }
                    addresses[k] = address
                }
            }
            var stubs = 0, slots = 0
            for r in file.relocations where r.type != .none {
                guard let offset = offsets[r.section] else { continue }
                guard r.symbol < addresses.count, let s = addresses[r.symbol] else {
                    throw ObjectLoadError("relocation against an unknown symbol (\(r.symbol))")
                }
                let place = origin + UInt64(offset) + r.offset
                let target = raw + (Int(offset) + Int(r.offset))
                let a = UInt64(bitPattern: r.addend)
                switch r.type {
                case .none: break
                case .abs64: target.storeBytes(of: s &+ a, toByteOffset: 0, as: UInt64.self)
                case .pc64: target.storeBytes(of: s &+ a &- place, toByteOffset: 0, as: UInt64.self)
                case .abs32, .abs32s:
                    let value = s &+ a
                    let fits = r.type == .abs32 ? value <= UInt64(UInt32.max) : Int64(bitPattern: value) == Int64(Int32(truncatingIfNeeded: value))
                    guard fits else { throw ObjectLoadError("a 32-bit absolute reference to \(String(value, radix: 16)) does not fit") }
                    target.storeBytes(of: UInt32(truncatingIfNeeded: value), toByteOffset: 0, as: UInt32.self)
                case .pc32, .plt32:
                    var destination = s
                    if !Self.fits32(destination &+ a &- place) {
                        // A call to a far function goes through a stub next to the code.
                        let stub = raw + stubStart + 16 * stubs
                        stubs += 1
                        stub.storeBytes(of: 0x25FF, toByteOffset: 0, as: UInt16.self)  // jmp [rip+0]
                        stub.storeBytes(of: 0, toByteOffset: 2, as: UInt32.self)
                        stub.storeBytes(of: destination, toByteOffset: 6, as: UInt64.self)
                        destination = UInt64(UInt(bitPattern: stub))
                    }
                    let value = destination &+ a &- place
                    guard Self.fits32(value) else { throw ObjectLoadError("a 32-bit relative reference does not reach its target") }
                    target.storeBytes(of: UInt32(truncatingIfNeeded: value), toByteOffset: 0, as: UInt32.self)
                case .gotpcrel, .gotpcrelx, .rexGotpcrelx:
                    let slot = raw + gotStart + 8 * slots
                    slots += 1
                    slot.storeBytes(of: s, toByteOffset: 0, as: UInt64.self)
                    let value = UInt64(UInt(bitPattern: slot)) &+ a &- place
                    guard Self.fits32(value) else { throw ObjectLoadError("a GOT slot out of reach") }
                    target.storeBytes(of: UInt32(truncatingIfNeeded: value), toByteOffset: 0, as: UInt32.self)
                }
            }
            guard mprotect(raw, codeEnd, PROT_READ | PROT_EXEC) == 0,
                  mapped == codeEnd || mprotect(raw + codeEnd, mapped - codeEnd, PROT_READ) == 0 else {
                throw ObjectLoadError("mprotect failed: \(String(cString: strerror(errno)))")
            }
            symbols = defined
            self.functions = functions
        } catch {
            munmap(raw, mapped)
            throw error
        }
        base = raw
        mappedSize = mapped
        code = origin..<(origin + UInt64(codeEnd))
    }

    private static func fits32(_ value: UInt64) -> Bool {
        Int64(bitPattern: value) == Int64(Int32(truncatingIfNeeded: value))
    }

    /// The address of a global or function symbol the object defines.
    public func address(of symbol: String) -> UInt64? { symbols[symbol] }

    /// Whether `address` lies in this object's code.
    public func contains(_ address: UInt64) -> Bool { code.contains(address) }

    deinit { munmap(base, mappedSize) }
}
