import CLLVM
import JitIR

/// The loop of a `scan` that the C library's search does not take (`FunctionLowering.scan`).
///
/// The IR defines a scan one cell at a time: check the address against the limit (trapping when it
/// is outside), stop at a zero, step. That loop runs first, for `scanPrelude` cells: most scans
/// stop within a few cells, and a wide load over cells just written one at a time would wait for
/// those stores to drain. After that, where the step is 1, 2, 4 or 8 bytes and a multiple of the
/// cell size, the loop tests `scanVectorBytes` bytes (16 or 32) at a time while all of them lie in
/// `0...limit + cell size - 1`: every lane compared with zero, the lanes the step lands on kept,
/// and the first of them (forwards) or the last (backwards) is where the scan stops. Near the edges
/// it goes back to one cell at a time, which traps exactly where the IR says; no load ever leaves
/// the memory. awib spends most of its run in scans by ±2, which LLVM does not vectorise by
/// itself (a loop with an early exit).
extension FunctionLowering {
    /// Cells tested one at a time before the vector loop starts.
    static let scanPrelude: Int64 = 4
    /// Bytes tested at a time: an AVX2 register where the host has one, else an SSE2 register.
    /// awib's run (everything compiled before it, CPU): 127 ms with 16 bytes, 111 ms with 32.
    static let scanVectorBytes: Int64 = {
        guard case .success(let host) = HostTarget.current else { return 16 }
        return host.features.split(separator: ",").contains("+avx2") ? 32 : 16
    }()

    /// Emits the scan from `x0` and returns the address it stopped at; the builder is left after it.
    func scanLoop(from x0: LLVMValueRef, _ t: IntType, step: Int64, limit: Int64) throws -> LLVMValueRef {
        let i64 = types.i64
        let cellBytes = Int64(t.bytes)
        let width = Self.scanVectorBytes
        let vectorised = t != .i1 && t != .i64 && [1, 2, 4, 8].contains(step.magnitude)
            && Int64(step.magnitude) % cellBytes == 0 && limit >= width - cellBytes

        let entry = LLVMGetInsertBlock(b)!
        let header = LLVMAppendBasicBlockInContext(types.context, target, "scan")!
        let advance = LLVMAppendBasicBlockInContext(types.context, target, "scan.next")!
        let done = LLVMAppendBasicBlockInContext(types.context, target, "scan.done")!
        LLVMBuildBr(b, header)

        // One cell: the IR's definition.
        LLVMPositionBuilderAtEnd(b, header)
        let x = LLVMBuildPhi(b, i64, "scan.x")!
        let counted = vectorised ? LLVMBuildPhi(b, i64, "scan.k") : nil
        trap(if: LLVMBuildICmp(b, LLVMIntUGT, x, constant(limit, .i64), ""), .outOfBounds)
        let cell = LLVMBuildLoad2(b, int(t), cellPointer(x, int(t)), "")!
        LLVMSetAlignment(cell, 1)
        let tested = LLVMGetInsertBlock(b)!
        LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntEQ, cell, constant(0, t), ""), done, advance)
        LLVMPositionBuilderAtEnd(b, advance)
        let next = LLVMBuildAdd(b, x, constant(step, .i64), "")!
        addIncoming(x, [(x0, entry), (next, advance)])
        var results: [(LLVMValueRef, LLVMBasicBlockRef)] = [(x, tested)]

        guard let counted else {
            LLVMBuildBr(b, header)
            LLVMPositionBuilderAtEnd(b, done)
            return phi(i64, "scan.at", results)
        }
        let vectorHeader = LLVMAppendBasicBlockInContext(types.context, target, "scan.vector")!
        let vectorBody = LLVMAppendBasicBlockInContext(types.context, target, "scan.block")!
        let found = LLVMAppendBasicBlockInContext(types.context, target, "scan.found")!
        let count = LLVMBuildAdd(b, counted, constant(1, .i64), "")!
        LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntEQ, count, constant(Self.scanPrelude, .i64), ""),
                        vectorHeader, header)

        // A block of cells, while it lies in the memory; otherwise back to one cell at a time, with
        // a count past the prelude's so that it never comes back here.
        LLVMPositionBuilderAtEnd(b, vectorHeader)
        let xv = LLVMBuildPhi(b, i64, "scan.xv")!
        let low = step > 0 ? xv : LLVMBuildAdd(b, xv, constant(cellBytes - width, .i64), "")!
        let fits = LLVMBuildICmp(b, LLVMIntULE, low, constant(limit + cellBytes - width, .i64), "")
        LLVMBuildCondBr(b, fits, vectorBody, header)
        addIncoming(x, [(xv, vectorHeader)])
        addIncoming(counted, [(constant(0, .i64), entry), (count, advance),
                              (constant(Self.scanPrelude + 1, .i64), vectorHeader)])

        LLVMPositionBuilderAtEnd(b, vectorBody)
        let lanes = UInt32(width / cellBytes)
        let vectorType = LLVMVectorType(int(t), lanes)!
        let block = LLVMBuildLoad2(b, vectorType, cellPointer(low, vectorType), "")!
        LLVMSetAlignment(block, 1)
        let zeros = LLVMBuildICmp(b, LLVMIntEQ, block, LLVMConstNull(vectorType), "")
        let bits = LLVMBuildBitCast(b, zeros, LLVMIntTypeInContext(types.context, lanes), "")
        let mask = Self.scanLaneMask(step: step, cellBytes: cellBytes, lanes: Int64(lanes))
        let hits = LLVMBuildAnd(b, LLVMBuildZExt(b, bits, types.i32, ""), constant(mask, .i32), "")!
        let onward = LLVMBuildAdd(b, xv, constant(step > 0 ? width : -width, .i64), "")!
        LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntNE, hits, constant(0, .i32), ""), found, vectorHeader)
        addIncoming(xv, [(next, advance), (onward, vectorBody)])

        // Forwards the lowest lane kept is the first zero; backwards the highest, whose distance
        // below the last lane (x's own) is its leading zeros within the lane mask's width.
        LLVMPositionBuilderAtEnd(b, found)
        let at: LLVMValueRef
        if step > 0 {
            let lane = call(try m.intrinsic("cttz", .i32), [hits, LLVMConstInt(types.i1, 1, 0)])
            at = LLVMBuildAdd(b, xv, LLVMBuildMul(b, LLVMBuildZExt(b, lane, i64, ""), constant(cellBytes, .i64), ""), "")
        } else {
            let zerosAbove = call(try m.intrinsic("ctlz", .i32), [hits, LLVMConstInt(types.i1, 1, 0)])
            let below = LLVMBuildSub(b, LLVMBuildZExt(b, zerosAbove, i64, ""), constant(32 - Int64(lanes), .i64), "")
            at = LLVMBuildSub(b, xv, LLVMBuildMul(b, below, constant(cellBytes, .i64), ""), "")
        }
        LLVMBuildBr(b, done)
        results.append((at, found))
        LLVMPositionBuilderAtEnd(b, done)
        return phi(i64, "scan.at", results)
    }

    /// The lanes (cells) a scan visits within one block: multiples of the step from the first
    /// lane (forwards) or from the last (backwards).
    static func scanLaneMask(step: Int64, cellBytes: Int64, lanes: Int64) -> Int64 {
        let stride = Int64(step.magnitude) / cellBytes
        var mask: Int64 = 0
        var lane = step > 0 ? 0 : lanes - 1
        while lane >= 0 && lane < lanes {
            mask |= 1 << lane
            lane += step > 0 ? stride : -stride
        }
        return mask
    }

    /// `memoryBase + address` as a pointer to `type`.
    private func cellPointer(_ address: LLVMValueRef, _ type: LLVMTypeRef) -> LLVMValueRef {
        var index: [LLVMValueRef?] = [address]
        let pointer = index.withUnsafeMutableBufferPointer {
            LLVMBuildGEP2(b, types.i8, m.memoryBase, $0.baseAddress, 1, "")!
        }
        return LLVMBuildBitCast(b, pointer, LLVMPointerType(type, 0), "")
    }

    private func addIncoming(_ phi: LLVMValueRef, _ incoming: [(LLVMValueRef, LLVMBasicBlockRef)]) {
        var values: [LLVMValueRef?] = incoming.map(\.0)
        var blocks: [LLVMBasicBlockRef?] = incoming.map(\.1)
        LLVMAddIncoming(phi, &values, &blocks, UInt32(incoming.count))
    }

    private func phi(_ type: LLVMTypeRef, _ name: String, _ incoming: [(LLVMValueRef, LLVMBasicBlockRef)]) -> LLVMValueRef {
        let value = LLVMBuildPhi(b, type, name)!
        addIncoming(value, incoming)
        return value
    }
}
