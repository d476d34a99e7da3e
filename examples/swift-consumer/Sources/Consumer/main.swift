#if canImport(Glibc)
import Glibc
#endif
import JitCtl

/// `collatz(n)`: how many steps the Collatz sequence of `n` takes to reach 1, as jitctl IR.
func collatzModule() throws -> Module {
    var b = FunctionBuilder(name: "collatz", parameters: [.i64], result: .i64)
    let n = b.copy(.i64, .reg(b.parameter(0)))
    let steps = b.copy(.i64, .imm(0))
    let head = b.newBlock("head"), body = b.newBlock("body"), done = b.newBlock("done")
    let odd = b.newBlock("odd"), even = b.newBlock("even")
    b.jump(head)
    b.position(at: head)
    b.branch(.reg(b.compare(.sgt, .i64, .reg(n), .imm(1))), body, done)
    b.position(at: body)
    b.assign(steps, .reg(b.binary(.add, .i64, .reg(steps), .imm(1))))
    let low = b.binary(.and, .i64, .reg(n), .imm(1))
    b.branch(.reg(b.compare(.ne, .i64, .reg(low), .imm(0))), odd, even)
    b.position(at: odd)
    let triple = b.binary(.mul, .i64, .reg(n), .imm(3), checked: true)
    b.assign(n, .reg(b.binary(.add, .i64, .reg(triple), .imm(1), checked: true)))
    b.jump(head)
    b.position(at: even)
    b.assign(n, .reg(b.binary(.ashr, .i64, .reg(n), .imm(1))))
    b.jump(head)
    b.position(at: done)
    b.ret(.reg(steps))
    return Module(sourceFile: "collatz", functions: [try b.finish()])
}

do {
    let module = try collatzModule()
    for backend in [BackendKind.x86, .llvm] {
        let collatz: (Int64) throws -> Int64 = try CompiledModule(module, backend: backend).function("collatz")
        print("\(backend): collatz(27) = \(try collatz(27)), collatz(97) = \(try collatz(97))")
        // The closure enters the native code directly: a call costs about as much as the work.
        let clock = ContinuousClock()
        var total: Int64 = 0
        let elapsed = try clock.measure { for n in 1...100_000 { total &+= try collatz(Int64(n)) } }
        print("\(backend): collatz(1...100000) sums to \(total), in \(elapsed)")
    }
    let hello = try CompiledModule(brainfuck: "++++++++[>++++++++<-]>+.+.+.", backend: .llvm)
    print("llvm: Brainfuck wrote \(String(decoding: try hello.run(), as: UTF8.self))")
    let overflow: (Int64) throws -> Int64 = try CompiledModule(module, backend: .x86).function("collatz")
    do {
        _ = try overflow(Int64.max / 2)
    } catch let trap as Trap {
        print("x86: collatz(Int64.max / 2) traps: \(trap.kind.message)")
    }
} catch {
    print("error: \(error)")
    exit(1)
}
