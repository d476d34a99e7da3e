import JitIR

/// Small IR modules more than one test suite runs.
public enum SampleModules {
    /// `sum_to(n) = 1 + 2 + ... + n` as one loop (blocks entry, head, body, done), in the IR's
    /// text form: what tier-up's tests move in the middle of.
    public static let sumToText = """
        source "loop.ir"
        func @sum_to(%0: i64) -> i64 {
          regs %1: i64, %2: i64, %3: i1
        entry:
          %1 = copy i64 0
          %2 = copy i64 1
          jump head
        head:
          %3 = cmp sle i64 %2, %0
          br %3, body, done
        body:
          %1 = add i64 %1, %2
          %2 = add i64 %2, 1
          jump head
        done:
          ret %1
        }
        """

    /// `sum(n) = n == 0 ? 0 : n + sum(n - 1)`: n nested calls, the recursive call at 2:5.
    public static func recursiveSum() throws -> Module {
        var f = FunctionBuilder(name: "sum", parameters: [.i64], result: .i64, loc: SourceLoc(line: 1, column: 1))
        let n = f.parameter(0)
        let zero = f.newBlock(), more = f.newBlock()
        f.branch(.reg(f.compare(.eq, .i64, .reg(n), .imm(0))), zero, more)
        f.position(at: zero)
        f.ret(.imm(0))
        f.position(at: more)
        f.loc = SourceLoc(line: 2, column: 5)
        let rest = f.call("sum", [.reg(f.binary(.sub, .i64, .reg(n), .imm(1)))], result: .i64)!
        f.ret(.reg(f.binary(.add, .i64, .reg(n), .reg(rest))))
        return Module(sourceFile: "sum", functions: [try f.finish()])
    }
}
