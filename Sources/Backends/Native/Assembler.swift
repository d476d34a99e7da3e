/// An x86-64 assembler: instruction methods append machine code, labels name
/// positions, and `finish()` lays out branches and resolves references.
///
///     var a = Assembler()
///     let loop = a.newLabel()
///     a.bind(loop)
///     a.sub(.rdi, 1)
///     a.jcc(.ne, loop)
///     a.ret()
///     let bytes = try a.finish()
///
/// Branches to labels (`jmp`, `jcc`) are relaxed: each one is the 2-byte short
/// form when its target is within rel8 range of the final layout and the near
/// rel32 form otherwise. `call` and `lea` to a label always use rel32.
///
/// Instruction methods do not throw; the first invalid instruction is recorded
/// and reported by `finish()`.
public struct Assembler {
    /// Straight-line machine code; items (branches, alignment) sit between its bytes.
    var buffer: [UInt8] = []
    /// Variable-size pieces in buffer order.
    var items: [Item] = []
    /// Where each label was bound: buffer position and number of items before it.
    var labelAnchors: [Anchor?] = []
    /// 32-bit label references inside `buffer` (call rel32, lea rip-relative).
    var rel32Fixups: [Rel32Fixup] = []
    /// The first misuse, thrown by `finish()`.
    var firstError: AssemblerError?
    /// Label offsets in the finished code, filled by `finish()`.
    private var finalLabelOffsets: [Int?] = []

    struct Anchor {
        var position: Int
        var itemsBefore: Int
    }

    enum ItemKind {
        /// `jmp` (condition nil) or `jcc` to a label.
        case branch(Condition?, Label)
        /// Padding with NOPs up to a multiple of the alignment.
        case align(Int)
    }

    struct Item {
        var position: Int
        var kind: ItemKind
    }

    struct Rel32Fixup {
        /// Position of the 4-byte field in `buffer`.
        var position: Int
        var itemsBefore: Int
        var label: Label
        /// Bytes from the field to the end of the instruction (the displacement is relative to that end).
        var tail: Int
    }

    public init() {}

    // MARK: Labels

    /// A new, unbound label.
    public mutating func newLabel() -> Label {
        labelAnchors.append(nil)
        return Label(id: labelAnchors.count - 1)
    }

    /// Binds `label` to the current position. Binding a label twice is an error reported by `finish()`.
    public mutating func bind(_ label: Label) {
        guard checkLabel(label) else { return }
        if labelAnchors[label.id] != nil {
            record(.labelBoundTwice(label))
            return
        }
        labelAnchors[label.id] = Anchor(position: buffer.count, itemsBefore: items.count)
    }

    /// Whether `label` has been bound.
    public func isBound(_ label: Label) -> Bool {
        label.id >= 0 && label.id < labelAnchors.count && labelAnchors[label.id] != nil
    }

    /// The offset of `label` in the code returned by the last `finish()`; nil before
    /// `finish()`, or for a label that is not bound.
    public func offset(of label: Label) -> Int? {
        label.id >= 0 && label.id < finalLabelOffsets.count ? finalLabelOffsets[label.id] : nil
    }

    /// All label offsets from the last `finish()`, indexed by `Label.id` (nil: unbound).
    public var labelOffsets: [Int?] { finalLabelOffsets }

    /// Bytes emitted so far, not counting branches and padding (their size is fixed by `finish()`).
    public var approximateSize: Int { buffer.count + items.count * 2 }

    mutating func checkLabel(_ label: Label) -> Bool {
        if label.id < 0 || label.id >= labelAnchors.count {
            record(.unknownLabel(label))
            return false
        }
        return true
    }

    mutating func record(_ error: AssemblerError) {
        if firstError == nil { firstError = error }
    }

    // MARK: Raw bytes and padding

    /// Appends raw bytes (data, or encodings this assembler does not offer).
    public mutating func emit(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }

    /// Pads with NOPs until the offset is a multiple of `alignment` (a power of two).
    public mutating func align(_ alignment: Int) {
        guard alignment > 0, alignment & (alignment - 1) == 0 else {
            record(.invalidOperands(instruction: "align", reason: "\(alignment) is not a power of two"))
            return
        }
        if alignment > 1 { items.append(Item(position: buffer.count, kind: .align(alignment))) }
    }

    // MARK: Finishing

    /// Lays out the code, resolves every label reference and returns the machine code.
    /// Afterwards `offset(of:)` gives label positions in it.
    public mutating func finish() throws(AssemblerError) -> [UInt8] {
        if let firstError { throw firstError }
        for item in items {
            if case .branch(_, let l) = item.kind, labelAnchors[l.id] == nil { throw .unboundLabel(l) }
        }
        for f in rel32Fixups where labelAnchors[f.label.id] == nil { throw .unboundLabel(f.label) }

        var long = [Bool](repeating: false, count: items.count)
        var sizes = [Int](repeating: 0, count: items.count)
        var itemOffsets = [Int](repeating: 0, count: items.count)
        // extraBefore[k]: bytes contributed by the first k items.
        var extraBefore = [Int](repeating: 0, count: items.count + 1)
        func labelOffset(_ l: Label) -> Int {
            let a = labelAnchors[l.id]!
            return a.position + extraBefore[a.itemsBefore]
        }
        // Branches only ever grow from short to near, so this reaches a fixed point.
        while true {
            for (i, item) in items.enumerated() {
                let offset = item.position + extraBefore[i]
                itemOffsets[i] = offset
                switch item.kind {
                case .branch(let cc, _): sizes[i] = long[i] ? (cc == nil ? 5 : 6) : 2
                case .align(let n): sizes[i] = (n - offset % n) % n
                }
                extraBefore[i + 1] = extraBefore[i] + sizes[i]
            }
            var changed = false
            for (i, item) in items.enumerated() where !long[i] {
                guard case .branch(_, let l) = item.kind else { continue }
                let disp = labelOffset(l) - (itemOffsets[i] + 2)
                if Int8(exactly: disp) == nil {
                    long[i] = true
                    changed = true
                }
            }
            if !changed { break }
        }

        var out: [UInt8] = []
        out.reserveCapacity(buffer.count + extraBefore[items.count])
        var copied = 0
        for (i, item) in items.enumerated() {
            out.append(contentsOf: buffer[copied..<item.position])
            copied = item.position
            switch item.kind {
            case .branch(let cc, let l):
                let end = itemOffsets[i] + sizes[i]
                let disp = labelOffset(l) - end
                if !long[i] {
                    out.append(cc.map { 0x70 + $0.rawValue } ?? 0xEB)
                    out.append(UInt8(bitPattern: Int8(disp)))
                } else {
                    if let cc { out.append(contentsOf: [0x0F, 0x80 + cc.rawValue]) } else { out.append(0xE9) }
                    guard let d32 = Int32(exactly: disp) else {
                        throw .invalidOperands(instruction: "jmp", reason: "target beyond rel32 range")
                    }
                    appendLE(&out, UInt64(UInt32(bitPattern: d32)), count: 4)
                }
            case .align:
                out.append(contentsOf: Assembler.nopBytes(sizes[i]))
            }
        }
        out.append(contentsOf: buffer[copied...])

        for f in rel32Fixups {
            let field = f.position + extraBefore[f.itemsBefore]
            let disp = labelOffset(f.label) - (field + 4 + f.tail)
            guard let d32 = Int32(exactly: disp) else {
                throw .invalidOperands(instruction: "call", reason: "target beyond rel32 range")
            }
            let u = UInt32(bitPattern: d32)
            for k in 0..<4 { out[field + k] = UInt8(truncatingIfNeeded: u >> (8 * UInt32(k))) }
        }
        finalLabelOffsets = labelAnchors.map { $0.map { $0.position + extraBefore[$0.itemsBefore] } }
        return out
    }

    /// The recommended multi-byte NOP sequences (Intel SDM), longest first.
    static func nopBytes(_ count: Int) -> [UInt8] {
        let forms: [[UInt8]] = [
            [0x90],
            [0x66, 0x90],
            [0x0F, 0x1F, 0x00],
            [0x0F, 0x1F, 0x40, 0x00],
            [0x0F, 0x1F, 0x44, 0x00, 0x00],
            [0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00],
            [0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00],
            [0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
        ]
        var out: [UInt8] = []
        var left = count
        while left > 0 {
            let n = min(left, forms.count)
            out.append(contentsOf: forms[n - 1])
            left -= n
        }
        return out
    }
}

@inline(__always)
func appendLE(_ out: inout [UInt8], _ value: UInt64, count: Int) {
    for k in 0..<count { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(k)))) }
}
