import JitIR
import Testing

/// A memory access that is in range or traps `out_of_bounds`.
struct AccessCase: CustomTestStringConvertible, Sendable {
    var type: IntType
    var address: Int64
    var inRange: Bool
    init(_ type: IntType, _ address: Int64, _ inRange: Bool) {
        self.type = type
        self.address = address
        self.inRange = inRange
    }
    var testDescription: String { "\(type) at \(address) \(inRange ? "in range" : "out of range")" }
}

/// Accesses of a 16-byte memory, on both ends, including ones that straddle the end.
private let accesses: [AccessCase] = [
    .init(.i8, 0, true), .init(.i8, 15, true), .init(.i8, 16, false), .init(.i8, -1, false),
    .init(.i1, 15, true), .init(.i1, 16, false),
    .init(.i16, 14, true), .init(.i16, 15, false), .init(.i16, -1, false),
    .init(.i32, 12, true), .init(.i32, 13, false), .init(.i32, 15, false), .init(.i32, -2, false),
    .init(.i64, 8, true), .init(.i64, 9, false), .init(.i64, 15, false), .init(.i64, -8, false),
    .init(.i64, -7, false), .init(.i64, .max, false), .init(.i64, .min, false), .init(.i8, .max, false),
]

@Suite("Interpreter: memory")
struct InterpreterMemoryTests {
    /// Stores lay values out little-endian; `captureMemory` returns the bytes.
    @Test func storesAreLittleEndian() throws {
        var b = FunctionBuilder(name: "main")
        let p = b.copy(.i64, .imm(4))
        b.store(.i32, .imm(0x1122_3344), base: p)
        b.store(.i64, .imm(0x0102_0304_0506_0708), base: p, offset: 4)
        b.store(.i16, .imm(-2), base: p, offset: -2)
        b.store(.i1, .imm(1), base: p, offset: -4)
        let v = b.copy(.i8, .imm(-1))
        b.store(.i8, .reg(v), base: p, offset: 12)
        b.ret(nil)
        let (r, _) = try InterpreterHarness.run(Module(memorySize: 17, functions: [try b.finish()]), captureMemory: true)
        #expect(r.trap == nil)
        #expect(r.memory == [0x01, 0, 0xFE, 0xFF, 0x44, 0x33, 0x22, 0x11, 8, 7, 6, 5, 4, 3, 2, 1, 0xFF])
    }

    /// Loads read little-endian and sign-extend from their type; an i1 load keeps the low bit.
    @Test func loadsSignExtend() throws {
        var b = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
        let which = b.parameter(0)
        let p = b.copy(.i64, .imm(0))
        b.store(.i64, .imm(0x7F80_FE03_0000_80FF), base: p)  // bytes FF 80 00 00 03 FE 80 7F
        let i8 = b.convert(.sext, .reg(b.load(.i8, base: p)), from: .i8, to: .i64)
        let i16 = b.convert(.sext, .reg(b.load(.i16, base: p)), from: .i16, to: .i64)
        let i32 = b.convert(.sext, .reg(b.load(.i32, base: p, offset: 4)), from: .i32, to: .i64)
        let i1a = b.convert(.zext, .reg(b.load(.i1, base: p, offset: 4)), from: .i1, to: .i64)
        let i1b = b.convert(.zext, .reg(b.load(.i1, base: p, offset: 5)), from: .i1, to: .i64)
        let i64 = b.load(.i64, base: p, offset: 1)
        let results = [i8, i16, i32, i1a, i1b, i64]
        let blocks = results.map { _ in b.newBlock() }
        for (k, v) in results.enumerated() {
            let hit = b.compare(.eq, .i64, .reg(which), .imm(Int64(k)))
            let next = b.newBlock()
            b.branch(.reg(hit), blocks[k], next)
            b.position(at: blocks[k])
            b.ret(.reg(v))
            b.position(at: next)
        }
        b.ret(.imm(-1))
        let module = Module(memorySize: 9, functions: [try b.finish()])
        let expected: [Int64] = [-1, -32513, 0x7F80_FE03, 1, 0, 0x007F_80FE_0300_0080]
        for (k, value) in expected.enumerated() {
            #expect(try InterpreterHarness.run(module, arguments: [Int64(k)]).0.value == value)
        }
    }

    /// Loads and stores of every width at every end of memory; the address is
    /// given as base + offset in three splits.
    @Test(arguments: accesses)
    func boundsOfLoadsAndStores(_ c: AccessCase) throws {
        for (base, offset) in [(c.address, Int64(0)), (0, c.address), (c.address &+ 5, -5)] {
            for isStore in [false, true] {
                var b = FunctionBuilder(name: "main", parameters: [.i64], result: .i64)
                b.loc = SourceLoc(line: 1, column: 1)
                let p = b.parameter(0)
                b.loc = SourceLoc(line: 2, column: 5)
                if isStore {
                    b.store(c.type, .imm(1), base: p, offset: offset)
                } else {
                    _ = b.load(c.type, base: p, offset: offset)
                }
                b.loc = SourceLoc(line: 3, column: 1)
                b.ret(.imm(7))
                let (r, _) = try InterpreterHarness.run(Module(memorySize: 16, functions: [try b.finish()]), arguments: [base])
                if c.inRange {
                    #expect(r.trap == nil)
                    #expect(r.value == 7)
                } else {
                    #expect(r.trap == Trap(kind: .outOfBounds, loc: SourceLoc(line: 2, column: 5), function: "main"))
                    #expect(r.value == nil)
                }
            }
        }
    }

    /// The address is base + offset in 64-bit two's complement arithmetic.
    @Test func addressArithmeticWraps() throws {
        var b = FunctionBuilder(name: "main", result: .i8)
        let p = b.copy(.i64, .imm(.min))
        b.store(.i8, .imm(42), base: p, offset: .min)  // address 0
        let q = b.copy(.i64, .imm(0))
        let v = b.load(.i8, base: q)
        b.ret(.reg(v))
        #expect(try InterpreterHarness.run(Module(memorySize: 1, functions: [try b.finish()])).0.value == 42)
    }

    /// Without memory every access is out of range.
    @Test func noMemory() throws {
        var b = FunctionBuilder(name: "main", result: .i8)
        let p = b.copy(.i64, .imm(0))
        let v = b.load(.i8, base: p)
        b.ret(.reg(v))
        let (r, _) = try InterpreterHarness.run(Module(memorySize: 0, functions: [try b.finish()]), captureMemory: true)
        #expect(r.trap?.kind == .outOfBounds)
        #expect(r.memory == [])
    }

    /// Memory is zero at the start of every run of the same compiled program.
    @Test func memoryIsZeroedForEveryRun() throws {
        var b = FunctionBuilder(name: "main", result: .i32)
        let p = b.copy(.i64, .imm(100))
        let old = b.load(.i32, base: p)
        let new = b.binary(.add, .i32, .reg(old), .imm(5))
        b.store(.i32, .reg(new), base: p)
        b.ret(.reg(old))
        let module = Module(memorySize: 104, functions: [try b.finish()])
        for engine in InterpreterHarness.engines {
            let program = try engine.compile(module)
            for _ in 0..<3 {
                let r = try program.run("main", arguments: [], io: ProgramIO(), options: RunOptions(captureMemory: true))
                #expect(r.value == 0)
                #expect(r.memory?[100] == 5)
            }
            #expect(try program.run("main", io: ProgramIO()).memory == nil)
        }
    }

    /// Read-modify-write of a cell (fused when specialised), wrapping at the cell's
    /// width, with both registers readable afterwards — also when they are one register.
    @Test(arguments: [IntType.i8, .i16, .i32])
    func readModifyWrite(_ type: IntType) throws {
        let max = Semantics.signedRange(type).upperBound
        for sameRegister in [false, true] {
            var b = FunctionBuilder(name: "main", result: .i64)
            let p = b.copy(.i64, .imm(3))
            b.store(type, .imm(max), base: p, offset: 2)
            let x = b.load(type, base: p, offset: 2)
            let y = sameRegister ? x : b.newRegister(type)
            b.append(.binary(.add, dst: y, lhs: .reg(x), rhs: .imm(1), checked: false))
            b.store(type, .reg(y), base: p, offset: 2)
            let z = b.newRegister(type)
            b.append(.binary(.sub, dst: z, lhs: .reg(y), rhs: .imm(3), checked: false))
            let z2 = b.newRegister(type)
            b.append(.load(dst: z2, base: p, offset: 2))
            b.append(.binary(.sub, dst: z2, lhs: .reg(z2), rhs: .imm(3), checked: false))
            b.store(type, .reg(z2), base: p, offset: 2)
            // x and y as i64, and the cell: (x - y) + cell
            let wx = b.convert(.sext, .reg(x), from: type, to: .i64)
            let wy = b.convert(.sext, .reg(y), from: type, to: .i64)
            let cell = b.convert(.sext, .reg(b.load(type, base: p, offset: 2)), from: type, to: .i64)
            let d = b.binary(.sub, .i64, .reg(wx), .reg(wy))
            let r = b.binary(.mul, .i64, .reg(d), .reg(cell))
            b.ret(.reg(r))
            let (result, _) = try InterpreterHarness.run(Module(memorySize: 16, functions: [try b.finish()]))
            let minimum = Semantics.signedRange(type).lowerBound
            let cellValue = minimum - 3 + (Int64(1) << type.bits)  // MIN - 3 wraps to MAX - 2
            // Different registers: x = MAX, y = MIN. One register: both read MIN.
            let expected = sameRegister ? 0 : (max - minimum) * cellValue
            #expect(result.value == expected)
            #expect(result.trap == nil)
        }
    }

    /// A cell test loop (`load; ne 0; branch`, fused when specialised) counting a cell down.
    @Test(arguments: [(IntType.i8, ComparePredicate.ne), (.i8, .eq), (.i16, .ne), (.i32, .eq)])
    func cellLoop(_ type: IntType, _ pred: ComparePredicate) throws {
        var b = FunctionBuilder(name: "main", result: .i64)
        let p = b.copy(.i64, .imm(1))
        b.store(type, .imm(5), base: p)
        let n = b.copy(.i64, .imm(0))
        let head = b.newBlock(), body = b.newBlock(), exit = b.newBlock()
        b.jump(head)
        b.position(at: head)
        let cell = b.load(type, base: p)
        let flag = b.compare(pred, type, .reg(cell), .imm(0))
        if pred == .ne { b.branch(.reg(flag), body, exit) } else { b.branch(.reg(flag), exit, body) }
        b.position(at: body)
        let dec = b.binary(.sub, type, .reg(cell), .imm(1))
        b.store(type, .reg(dec), base: p)
        b.append(.binary(.add, dst: n, lhs: .reg(n), rhs: .imm(10), checked: false))
        b.jump(head)
        b.position(at: exit)
        // The loaded cell and the flag are still readable after the loop.
        let wideFlag = b.convert(.zext, .reg(flag), from: .i1, to: .i64)
        let wideCell = b.convert(.sext, .reg(cell), from: type, to: .i64)
        let r1 = b.binary(.add, .i64, .reg(n), .reg(wideFlag))
        let r2 = b.binary(.add, .i64, .reg(r1), .reg(wideCell))
        b.ret(.reg(r2))
        let (r, _) = try InterpreterHarness.run(Module(memorySize: 8, functions: [try b.finish()]))
        #expect(r.value == Int64(50 + (pred == .eq ? 1 : 0)))
    }
}
