/// The parts of an ELF64 little-endian x86-64 relocatable object file that `LoadedObject` needs:
/// section headers, the symbol table and the `RELA` relocations. Every offset and size is checked
/// against the file before it is read.
struct ELFFile {
    struct Section {
        var nameOffset: UInt32
        var type: UInt32
        var flags: UInt64
        var offset: UInt64
        var size: UInt64
        var link: UInt32
        var info: UInt32
        var alignment: UInt64

        var isAllocated: Bool { flags & 0x2 != 0 && size > 0 }
        var isExecutable: Bool { flags & 0x4 != 0 }
        /// `SHT_NOBITS` (.bss) occupies no bytes in the file.
        var hasContents: Bool { type != 8 }
    }

    struct Symbol {
        var name: String
        var info: UInt8
        var section: UInt16
        var value: UInt64
        var size: UInt64

        /// A function (its code is `size` bytes from `value`).
        var isFunction: Bool { info & 0xF == 2 }

        /// Global or weak binding, or a function: a name the loader's user may look up.
        var isGlobalOrFunction: Bool { info >> 4 != 0 || info & 0xF == 2 }
    }

    enum RelocationType: UInt32 {
        case none = 0, abs64 = 1, pc32 = 2, plt32 = 4, gotpcrel = 9, abs32 = 10, abs32s = 11, pc64 = 24
        case gotpcrelx = 41, rexGotpcrelx = 42

        var usesGOT: Bool { self == .gotpcrel || self == .gotpcrelx || self == .rexGotpcrelx }
    }

    struct Relocation {
        /// The section the relocation patches.
        var section: Int
        var offset: UInt64
        var type: RelocationType
        var symbol: Int
        var addend: Int64
    }

    static let absoluteSection: UInt16 = 0xFFF1

    let bytes: [UInt8]
    private(set) var sections: [Section] = []
    private(set) var symbols: [Symbol] = []
    private(set) var relocations: [Relocation] = []
    private var sectionNames: Section?

    init(_ bytes: [UInt8]) throws(ObjectLoadError) {
        self.bytes = bytes
        guard bytes.count >= 64, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else {
            throw ObjectLoadError("not an ELF file")
        }
        guard bytes[4] == 2, bytes[5] == 1, try u16(16) == 1, try u16(18) == 62 else {
            throw ObjectLoadError("not a 64-bit little-endian x86-64 relocatable object")
        }
        let sectionTable = try u64(0x28)
        let entrySize = Int(try u16(0x3A))
        let count = Int(try u16(0x3C))
        let namesIndex = Int(try u16(0x3E))
        guard entrySize >= 64, sectionTable <= UInt64(bytes.count),
              UInt64(count * entrySize) <= UInt64(bytes.count) - sectionTable else {
            throw ObjectLoadError("the section headers lie outside the file")
        }
        for i in 0..<count {
            let h = Int(sectionTable) + i * entrySize
            sections.append(Section(nameOffset: try u32(h), type: try u32(h + 4), flags: try u64(h + 8), offset: try u64(h + 24),
                                    size: try u64(h + 32), link: try u32(h + 40), info: try u32(h + 44),
                                    alignment: try u64(h + 48)))
        }
        for s in sections where s.hasContents && s.type != 0 {
            guard s.offset <= UInt64(bytes.count), s.size <= UInt64(bytes.count) - s.offset else {
                throw ObjectLoadError("a section lies outside the file")
            }
        }
        if namesIndex < sections.count { sectionNames = sections[namesIndex] }
        if let table = sections.firstIndex(where: { $0.type == 2 }) { try readSymbols(table) }
        for (i, s) in sections.enumerated() where s.type == 4 {  // SHT_RELA
            guard Int(s.info) < sections.count else { throw ObjectLoadError("a relocation section without a target") }
            for k in 0..<Int(s.size / 24) {
                let e = Int(s.offset) + k * 24
                let info = try u64(e + 8)
                guard let type = RelocationType(rawValue: UInt32(truncatingIfNeeded: info)) else {
                    throw ObjectLoadError("unsupported relocation type \(UInt32(truncatingIfNeeded: info)) in section \(name(of: i))")
                }
                relocations.append(Relocation(section: Int(s.info), offset: try u64(e), type: type, symbol: Int(info >> 32),
                                              addend: Int64(bitPattern: try u64(e + 16))))
            }
        }
        for r in relocations where Int(r.section) < sections.count && sections[r.section].isAllocated {
            guard r.offset <= sections[r.section].size &- 4 || (r.type == .abs64 || r.type == .pc64) && r.offset <= sections[r.section].size &- 8 else {
                throw ObjectLoadError("a relocation outside its section")
            }
        }
    }

    private mutating func readSymbols(_ table: Int) throws(ObjectLoadError) {
        let s = sections[table]
        guard Int(s.link) < sections.count else { throw ObjectLoadError("a symbol table without names") }
        let names = sections[Int(s.link)]
        for k in 0..<Int(s.size / 24) {
            let e = Int(s.offset) + k * 24
            symbols.append(Symbol(name: try string(in: names, at: try u32(e)), info: bytes[e + 4], section: try u16(e + 6),
                                  value: try u64(e + 8), size: try u64(e + 16)))
        }
    }

    /// A section's name, or "" when it has none.
    func name(of index: Int) -> String {
        guard let sectionNames else { return "" }
        return (try? string(in: sectionNames, at: sections[index].nameOffset)) ?? ""
    }

    /// Copies section `index`'s bytes to `destination`.
    func copy(section index: Int, to destination: UnsafeMutableRawPointer) throws(ObjectLoadError) {
        let s = sections[index]
        bytes.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress! + Int(s.offset), byteCount: Int(s.size)) }
    }

    private func string(in table: Section, at offset: UInt32) throws(ObjectLoadError) -> String {
        var end = Int(table.offset) + Int(offset)
        guard offset < table.size, end < bytes.count else { throw ObjectLoadError("a name outside its string table") }
        let start = end
        while end < bytes.count && bytes[end] != 0 { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private func u16(_ at: Int) throws(ObjectLoadError) -> UInt16 { UInt16(truncatingIfNeeded: try little(at, 2)) }
    private func u32(_ at: Int) throws(ObjectLoadError) -> UInt32 { UInt32(truncatingIfNeeded: try little(at, 4)) }
    private func u64(_ at: Int) throws(ObjectLoadError) -> UInt64 { try little(at, 8) }

    private func little(_ at: Int, _ count: Int) throws(ObjectLoadError) -> UInt64 {
        guard at >= 0, at <= bytes.count - count else { throw ObjectLoadError("truncated") }
        var value: UInt64 = 0
        for k in (0..<count).reversed() { value = value << 8 | UInt64(bytes[at + k]) }
        return value
    }
}
