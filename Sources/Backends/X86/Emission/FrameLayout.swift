/// The stack frame of one generated function (no frame pointer; everything is rsp-relative):
///
///     [rsp + frameSize + 8*saved + 8 + 8*j]   incoming stack argument j (parameter 6 + j)
///     [rsp + frameSize + 8*saved]             return address
///     [rsp + frameSize ...]                   pushed callee-saved registers
///     [rsp + 8*outgoing + 8*s]                spill slot s
///     [rsp + 8*j]                             outgoing stack argument j of a call
///
/// In a function that calls out, `frameSize` keeps rsp 16-byte aligned after the
/// prologue, so every call (IR calls, host calls) sees an aligned stack. (The trap
/// hook does not care: it only restores the stack pointer saved on entry.)
struct FrameLayout {
    /// Callee-saved registers pushed by the prologue, in push order.
    let saved: [UInt8]
    let spillSlots: Int
    /// Stack-argument slots reserved for the calls this function makes.
    let outgoingSlots: Int
    /// Bytes subtracted from rsp after the pushes.
    let frameSize: Int32

    /// `aligned`: the function calls out, so rsp must be 16-byte aligned in its body.
    init(saved: [UInt8], spillSlots: Int, outgoingSlots: Int, aligned: Bool = true) {
        self.saved = saved
        self.spillSlots = spillSlots
        self.outgoingSlots = outgoingSlots
        var size = 8 * (spillSlots + outgoingSlots)
        // On entry rsp = 8 mod 16 (the return address); pushes and the frame must bring it back to 0.
        if aligned && (8 + 8 * saved.count + size) % 16 != 0 { size += 8 }
        frameSize = Int32(size)
    }

    func spillOffset(_ slot: Int) -> Int32 { Int32(8 * (outgoingSlots + slot)) }
    func outgoingOffset(_ j: Int) -> Int32 { Int32(8 * j) }
    func incomingOffset(_ j: Int) -> Int32 { frameSize + Int32(8 * saved.count + 8 + 8 * j) }
}
