import JitIR

/// Small modules that exercise every IR operation, every type and every trap, with the
/// argument values most likely to expose a wrong lowering (limits, signs, shift counts).
enum OpCoverageModules {
    /// Boundary and ordinary values of `t`, canonical.
    static func edgeValues(_ t: IntType) -> [Int64] {
        let r = t == .i1 ? -1...0 : Int64(truncatingIfNeeded: Int64.min >> (64 - t.bits))...Int64(truncatingIfNeeded: Int64.max >> (64 - t.bits))
        let raw: [Int64] = [0, 1, -1, 2, 7, -7, Int64(t.bits), Int64(t.bits + 1), r.lowerBound, r.upperBound,
                            r.lowerBound + 1, r.upperBound - 1, 0x5A5A_5A5A_5A5A_5A5A]
        var seen = Set<Int64>()
        return raw.map { t.normalize($0) }.filter { seen.insert($0).inserted }
    }

    /// All pairs of edge values.
    static func pairs(_ t: IntType) -> [[Int64]] {
        let e = edgeValues(t)
        return e.flatMap { a in e.map { b in [a, b] } }
    }

    /// Immediates used as right-hand operands.
    static func immediates(_ t: IntType) -> [Int64] {
        Array(Set([0, 1, -1, 3, Int64(t.bits - 1), Int64(t.bits)].map { t.normalize($0) })).sorted()
    }

    /// A builder whose instructions get distinct positions (line `line`, column = order).
    private struct Positions {
        var line: Int
        var column = 0
        mutating func next() -> SourceLoc {
            column += 1
            return SourceLoc(line: line, column: column)
        }
    }

    private static func binaryFunction(_ name: String, _ op: BinaryOp, _ t: IntType, checked: Bool,
                                       rhsImmediate: Int64?, line: Int) throws -> Function {
        var p = Positions(line: line)
        var b = FunctionBuilder(name: name, parameters: rhsImmediate == nil ? [t, t] : [t], result: t)
        b.loc = p.next()
        let rhs: Operand = rhsImmediate.map { .imm($0) } ?? .reg(b.parameter(1))
        let r = b.binary(op, t, .reg(b.parameter(0)), rhs, checked: checked)
        b.loc = p.next()
        b.ret(.reg(r))
        return try b.finish()
    }

    /// Every binary operator at every type, checked where it can be, with register and
    /// immediate right-hand sides.
    static func binary() throws -> (Module, [ProgramRun]) {
        var functions: [Function] = []
        var runs: [ProgramRun] = []
        for op in BinaryOp.allCases {
            for t in IntType.allCases {
                for checked in op.canBeChecked ? [false, true] : [false] {
                    let base = "\(op.rawValue)\(checked ? "_ovf" : "")_\(t)"
                    functions.append(try binaryFunction(base, op, t, checked: checked, rhsImmediate: nil,
                                                    line: functions.count + 1))
                    runs += pairs(t).map { ProgramRun(function: base, arguments: $0) }
                    for k in immediates(t) {
                        let name = "\(base)_imm\(k < 0 ? "m\(-k)" : "\(k)")"
                        functions.append(try binaryFunction(name, op, t, checked: checked, rhsImmediate: k,
                                                        line: functions.count + 1))
                        runs += edgeValues(t).map { ProgramRun(function: name, arguments: [$0]) }
                    }
                }
            }
        }
        return (Module(sourceFile: "binary.ir", functions: functions), runs)
    }

    /// neg/not, compares, select and conversions at every type.
    static func unaryCompareSelectConvert() throws -> (Module, [ProgramRun]) {
        var functions: [Function] = []
        var runs: [ProgramRun] = []
        for t in IntType.allCases {
            for op in UnaryOp.allCases {
                for checked in op == .neg ? [false, true] : [false] {
                    var p = Positions(line: functions.count + 1)
                    let name = "\(op.rawValue)\(checked ? "_ovf" : "")_\(t)"
                    var b = FunctionBuilder(name: name, parameters: [t], result: t)
                    b.loc = p.next()
                    let r = b.unary(op, t, .reg(b.parameter(0)), checked: checked)
                    b.ret(.reg(r))
                    functions.append(try b.finish())
                    runs += edgeValues(t).map { ProgramRun(function: name, arguments: [$0]) }
                }
            }
            for pred in ComparePredicate.allCases {
                let name = "cmp_\(pred.rawValue)_\(t)"
                var b = FunctionBuilder(name: name, parameters: [t, t], result: .i1)
                b.ret(.reg(b.compare(pred, t, .reg(b.parameter(0)), .reg(b.parameter(1)))))
                functions.append(try b.finish())
                runs += pairs(t).map { ProgramRun(function: name, arguments: $0) }
                let immName = name + "_imm"
                var c = FunctionBuilder(name: immName, parameters: [t], result: .i1)
                c.ret(.reg(c.compare(pred, t, .imm(t.normalize(-1)), .reg(c.parameter(0)))))
                functions.append(try c.finish())
                runs += edgeValues(t).map { ProgramRun(function: immName, arguments: [$0]) }
            }
            do {
                let name = "select_\(t)"
                var b = FunctionBuilder(name: name, parameters: [.i1, t, t], result: t)
                b.ret(.reg(b.select(t, .reg(b.parameter(0)), .reg(b.parameter(1)), .reg(b.parameter(2)))))
                functions.append(try b.finish())
                for c: Int64 in [0, 1] {
                    runs += pairs(t).map { ProgramRun(function: name, arguments: [c] + $0) }
                }
            }
            for to in IntType.allCases where to != t {
                for op in to.bits > t.bits ? [ConvertOp.zext, .sext] : [.trunc] {
                    let name = "\(op.rawValue)_\(t)_\(to)"
                    var b = FunctionBuilder(name: name, parameters: [t], result: to)
                    b.ret(.reg(b.convert(op, .reg(b.parameter(0)), from: t, to: to)))
                    functions.append(try b.finish())
                    runs += edgeValues(t).map { ProgramRun(function: name, arguments: [$0]) }
                }
            }
        }
        return (Module(sourceFile: "unary.ir", functions: functions), runs)
    }

    /// Stores and loads of every width at register + constant offsets (overlapping, so byte
    /// order shows), the I/O hooks, calls with narrow arguments, recursion, `trapIf` and `trap`.
    static func memoryCallsAndTraps() throws -> (Module, [ProgramRun]) {
        var functions: [Function] = []
        var runs: [ProgramRun] = []
        for t in IntType.allCases {
            // store t v at [p+3]; return the i8 at [p+4] plus, as t, the value at [p+3].
            let name = "memory_\(t)"
            var p = Positions(line: functions.count + 1)
            var b = FunctionBuilder(name: name, parameters: [.i64, t], result: .i64)
            let base = b.parameter(0)
            b.loc = p.next()
            b.store(t, .reg(b.parameter(1)), base: base, offset: 3)
            b.store(.i8, .imm(-2), base: base, offset: 0)
            let back = b.load(t, base: base, offset: 3)
            let next = b.load(.i8, base: base, offset: 4)
            let wide = t == .i64 ? back : b.convert(t == .i1 ? .zext : .sext, .reg(back), from: t, to: .i64)
            let nextWide = b.convert(.zext, .reg(next), from: .i8, to: .i64)
            let shifted = b.binary(.shl, .i64, .reg(nextWide), .imm(32))
            b.ret(.reg(b.binary(.xor, .i64, .reg(wide), .reg(shifted))))
            functions.append(try b.finish())
            for v in edgeValues(t) {
                runs += [0, 5, 50].map { ProgramRun(function: name, arguments: [$0, v]) }
            }
        }

        // Echo input, each byte + 1, then "!" via an immediate; return the byte count.
        do {
            var p = Positions(line: functions.count + 1)
            var b = FunctionBuilder(name: "echo", result: .i32)
            let count = b.copy(.i32, .imm(0))
            let loop = b.newBlock("loop"), body = b.newBlock("body"), done = b.newBlock("done")
            b.jump(loop)
            b.position(at: loop)
            b.loc = p.next()
            let c = b.hostCall(.getByte, [])!
            let eof = b.compare(.eq, .i32, .reg(c), .imm(-1))
            b.branch(.reg(eof), done, body)
            b.position(at: body)
            let d = b.binary(.add, .i32, .reg(c), .imm(1))
            b.hostCall(.putByte, [.reg(d)])
            b.assign(count, .reg(b.binary(.add, .i32, .reg(count), .imm(1))))
            b.jump(loop)
            b.position(at: done)
            b.hostCall(.putByte, [.imm(33)])
            b.ret(.reg(count))
            functions.append(try b.finish())
            runs += [[], [0], [0xFF, 0x41, 0x0A], Array("hello".utf8)].map {
                ProgramRun(function: "echo", arguments: [], input: $0)
            }
        }

        // Calls with narrow types; the callee traps when its i8 argument is negative.
        do {
            var p = Positions(line: functions.count + 1)
            var f = FunctionBuilder(name: "combine", parameters: [.i8, .i16, .i1], result: .i32)
            f.loc = p.next()
            let negative = f.compare(.slt, .i8, .reg(f.parameter(0)), .imm(0))
            f.trapIf(.reg(negative), .negativeShift)
            let a = f.convert(.sext, .reg(f.parameter(0)), from: .i8, to: .i32)
            let b16 = f.convert(.sext, .reg(f.parameter(1)), from: .i16, to: .i32)
            let flag = f.convert(.zext, .reg(f.parameter(2)), from: .i1, to: .i32)
            let s = f.binary(.mul, .i32, .reg(a), .reg(b16))
            f.ret(.reg(f.binary(.add, .i32, .reg(s), .reg(flag))))
            functions.append(try f.finish())

            var g = FunctionBuilder(name: "caller", parameters: [.i64], result: .i32)
            g.loc = p.next()
            let x8 = g.convert(.trunc, .reg(g.parameter(0)), from: .i64, to: .i8)
            let x16 = g.convert(.trunc, .reg(g.parameter(0)), from: .i64, to: .i16)
            let odd = g.convert(.trunc, .reg(g.parameter(0)), from: .i64, to: .i1)
            g.loc = p.next()
            let r = g.call("combine", [.reg(x8), .reg(x16), .reg(odd)], result: .i32)!
            g.ret(.reg(r))
            functions.append(try g.finish())
            runs += [0, 1, 127, 128, 255, 300, -1, 0x7FFF, 0x1_0000_0005].map { ProgramRun(function: "caller", arguments: [$0]) }
        }

        // Recursion, a trap deep inside it, and an unconditional trap terminator.
        do {
            var p = Positions(line: functions.count + 1)
            var f = FunctionBuilder(name: "sum_to", parameters: [.i64], result: .i64)
            let n = f.parameter(0)
            f.loc = p.next()
            f.trapIf(.reg(f.compare(.eq, .i64, .reg(n), .imm(13))), .unreachable)
            let base = f.newBlock("base"), recurse = f.newBlock("recurse")
            f.branch(.reg(f.compare(.sle, .i64, .reg(n), .imm(0))), base, recurse)
            f.position(at: base)
            f.ret(.imm(0))
            f.position(at: recurse)
            let m = f.binary(.sub, .i64, .reg(n), .imm(1))
            f.loc = p.next()
            let s = f.call("sum_to", [.reg(m)], result: .i64)!
            f.ret(.reg(f.binary(.add, .i64, .reg(s), .reg(n), checked: true)))
            functions.append(try f.finish())
            runs += [0, 1, 10, 12, 20, 1000].map { ProgramRun(function: "sum_to", arguments: [$0]) }

            var t = FunctionBuilder(name: "always_traps", parameters: [.i64])
            t.loc = p.next()
            t.hostCall(.putByte, [.imm(0x78)])
            let skip = t.newBlock("skip"), stop = t.newBlock("stop")
            t.branch(.reg(t.compare(.eq, .i64, .reg(t.parameter(0)), .imm(0))), skip, stop)
            t.position(at: skip)
            t.ret(nil)
            t.position(at: stop)
            t.loc = p.next()
            t.trap(.outOfBounds)
            functions.append(try t.finish())
            runs += [0, 1].map { ProgramRun(function: "always_traps", arguments: [$0]) }
        }
        return (Module(sourceFile: "memory.ir", memorySize: 64, functions: functions), runs)
    }
}
