extension Instruction {
    /// Calls `body` with each register `used` holds, in the same order, without building
    /// arrays (IRVerifierTests checks it against `used` for every case).
    func forEachRead(_ body: (Var) -> Void) {
        op.forEachRegister { _, v in body(v) }
    }
}
