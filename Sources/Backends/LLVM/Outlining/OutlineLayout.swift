#if canImport(Glibc)
import Glibc
#endif
import JitIR

/// How a module's functions are cut into pieces (`OutlinePlan`), and which pieces are compiled
/// only when first called. Made once per compile, before lowering, from the module after
/// `RecursiveInlining` (the module the lowering and any later piece compile see).
struct OutlineLayout: Sendable {
    /// The module every piece is lowered from.
    let module: JitIR.Module
    /// The calls that need a stack check, found once for the module and every piece of it.
    let recursion: RecursiveCalls
    /// The plan of each function, by its index in `module.functions`.
    let plans: [OutlinePlan]
    /// The lazily compiled pieces, by their slot in the code-address table: (function index, piece).
    let lazySlots: [(function: Int, piece: Int)]
    /// The slot of each lazily compiled piece, by function index and piece.
    let slotOfPiece: [[Int: Int]]
    /// The loops inside lazily compiled pieces that quick code may call compiled alone at the
    /// full level (`OutlinePlan.LoopEntry`), by slot less `lazySlots.count`: (function index, piece, entry).
    let loopEntrySlots: [(function: Int, piece: Int, entry: Int)]
    /// The slot of each piece's first loop entry, by function index and piece; the others follow it.
    let firstLoopEntrySlot: [[Int: Int]]
    /// Whether lazily compiled pieces are compiled quickly first (tiering): the pieces are lazy,
    /// tiering is asked for, and the module is large enough (`LazyPieces` also needs -O1 or more).
    let tiers: Bool

    /// Plans every function with `options`. Pieces are lazy only when asked and when no function
    /// calls another: a piece compiled alone in its own LLVM module could not call the module's
    /// internal functions.
    init(_ source: JitIR.Module, options: LLVMOutlining, lazyAllowed: Bool) {
        let module = RecursiveInlining.run(source)
        self.module = module
        recursion = RecursiveCalls(module)
        let calls = module.functions.contains { f in
            f.blocks.contains { $0.instructions.contains { if case .call = $0.op { true } else { false } } }
        }
        let lazy = options.lazy && lazyAllowed && !calls
        tiers = lazy && options.tierUpCalls > 0
            && module.functions.reduce(0) { $0 + $1.instructionCount } >= options.tieringInstructions
        // Loop entries are called from quick code only.
        let loopEntries = tiers && options.loopEntryIterations > 0
        plans = module.functions.map {
            OutlinePlan($0, cap: options.pieceInstructions, loopEntryInstructions: loopEntries ? options.loopEntryInstructions : 0)
        }
        var slots: [(function: Int, piece: Int)] = []
        var slotOfPiece = [[Int: Int]](repeating: [:], count: module.functions.count)
        if lazy {
            for (f, plan) in plans.enumerated() {
                for p in plan.pieces.indices.dropFirst() {
                    slotOfPiece[f][p] = slots.count
                    slots.append((f, p))
                }
            }
        }
        lazySlots = slots
        self.slotOfPiece = slotOfPiece
        var entries: [(function: Int, piece: Int, entry: Int)] = []
        var firstEntry = [[Int: Int]](repeating: [:], count: module.functions.count)
        for (f, p) in slots where !plans[f].pieces[p].loopEntries.isEmpty {
            firstEntry[f][p] = slots.count + entries.count
            entries += plans[f].pieces[p].loopEntries.indices.map { (f, p, $0) }
        }
        loopEntrySlots = entries
        firstLoopEntrySlot = firstEntry
    }

    /// Slots in the code-address table: the lazily compiled pieces', then the loop entries'.
    var slotCount: Int { lazySlots.count + loopEntrySlots.count }

    /// What the code of a slot is: a piece, or a loop entry of one.
    func contents(ofSlot slot: Int) -> (function: Int, piece: Int, loopEntry: Int?) {
        if slot < lazySlots.count { return (lazySlots[slot].function, lazySlots[slot].piece, nil) }
        let e = loopEntrySlots[slot - lazySlots.count]
        return (e.function, e.piece, e.entry)
    }

    /// IR instructions of the piece or loop a slot's code is made from.
    func size(ofSlot slot: Int) -> Int {
        let c = contents(ofSlot: slot)
        let piece = plans[c.function].pieces[c.piece]
        return c.loopEntry.map { piece.loopEntries[$0].region.size } ?? piece.size
    }

    var isLazy: Bool { !lazySlots.isEmpty }

    /// How many LLVM functions the module's IR functions become.
    var pieceCount: Int { plans.reduce(0) { $0 + $1.pieces.count } }
}

/// How the LLVM backend cuts large functions into pieces and when it compiles them
/// (docs/llvm.md, "Outlining").
public struct LLVMOutlining: Sendable, Hashable {
    /// The most IR instructions a piece holds of its own, where blocks allow; `Int.max` keeps
    /// every function whole.
    public var pieceInstructions: Int
    /// Whether pieces other than the functions themselves are compiled when first called
    /// (ORC only; MCJIT compiles everything at once).
    public var lazy: Bool
    /// With `lazy`: a piece is first compiled quickly (mem2reg only, LLVM's fast instruction
    /// selector and register allocator), and again at the full level on this call; 0 compiles
    /// it at the full level at once.
    public var tierUpCalls: Int
    /// Modules with fewer IR instructions than this compile every piece at the full level at
    /// once: they compile quickly enough anyway.
    public var tieringInstructions: Int
    /// With `lazy`, on a machine with a second processor: how many IR instructions of pieces a
    /// thread of the program's own compiles before they are called, in program order, while the
    /// program compiles and runs (`LazyPieces`). 0 runs nothing on another thread: no compile
    /// ahead, and tier-ups compiled on the run's thread.
    public var aheadInstructions: Int
    /// With tiering: a loop inside a piece's quick code, other than one back to its root, is
    /// compiled alone at the full level after this many iterations, and the quick code calls
    /// that from then on (`OutlinePlan.LoopEntry`); 0 never does.
    public var loopEntryIterations: Int
    /// The largest loop, in IR instructions of its own, that gets a loop entry.
    public var loopEntryInstructions: Int

    public init(pieceInstructions: Int = LLVMOutlining.defaultPieceInstructions, lazy: Bool = true,
                tierUpCalls: Int = LLVMOutlining.defaultTierUpCalls,
                tieringInstructions: Int = LLVMOutlining.defaultTieringInstructions,
                aheadInstructions: Int = LLVMOutlining.defaultAheadInstructions,
                loopEntryIterations: Int = LLVMOutlining.defaultLoopEntryIterations,
                loopEntryInstructions: Int = LLVMOutlining.defaultLoopEntryInstructions) {
        self.pieceInstructions = max(1, pieceInstructions)
        self.lazy = lazy
        self.tierUpCalls = max(0, tierUpCalls)
        self.tieringInstructions = max(0, tieringInstructions)
        self.aheadInstructions = max(0, aheadInstructions)
        self.loopEntryIterations = max(0, loopEntryIterations)
        self.loopEntryInstructions = max(0, loopEntryInstructions)
    }

    /// Calls and loop iterations (see docs/llvm.md for the measurements behind it). 3,000 rather
    /// than 1,000: hanoi's pieces that run a few thousand times no longer pay for a full compile
    /// (whole process, CPU: 0.186 s to 0.120), optimtease 1.58 s to 1.55, awib unchanged.
    public static let defaultTierUpCalls = 3_000
    public static let defaultTieringInstructions = 10_000

    /// See docs/llvm.md for the measurements behind it.
    public static let defaultPieceInstructions = 2_500

    /// See docs/llvm.md ("Compiling on a second core") for the measurements behind it.
    public static let defaultAheadInstructions = 20_000

    /// See docs/llvm.md ("Loop entries") for the measurements behind it.
    public static let defaultLoopEntryIterations = 30_000
    public static let defaultLoopEntryInstructions = 40

    /// Every function whole and compiled at once, as before outlining existed.
    public static let off = LLVMOutlining(pieceInstructions: Int.max, lazy: false)

    /// These settings with `JITCTL_LLVM_OUTLINE` (a piece size, or `off`), `JITCTL_LLVM_LAZY`
    /// (`0` or `1`), `JITCTL_LLVM_TIER_UP`, `JITCTL_LLVM_TIERING_MIN`, `JITCTL_LLVM_AHEAD`,
    /// `JITCTL_LLVM_LOOP_ENTRY` and `JITCTL_LLVM_LOOP_ENTRY_SIZE` (numbers) from the environment
    /// applied, for experiments.
    func fromEnvironment() -> LLVMOutlining {
        var result = self
        if let text = getenv("JITCTL_LLVM_OUTLINE").map({ String(cString: $0) }) {
            if text == "off" { result.pieceInstructions = Int.max } else if let n = Int(text), n > 0 { result.pieceInstructions = n }
        }
        if let text = getenv("JITCTL_LLVM_LAZY").map({ String(cString: $0) }) {
            result.lazy = text != "0"
        }
        if let text = getenv("JITCTL_LLVM_TIER_UP").map({ String(cString: $0) }), let n = Int(text), n >= 0 {
            result.tierUpCalls = n
        }
        if let text = getenv("JITCTL_LLVM_TIERING_MIN").map({ String(cString: $0) }), let n = Int(text), n >= 0 {
            result.tieringInstructions = n
        }
        if let text = getenv("JITCTL_LLVM_AHEAD").map({ String(cString: $0) }), let n = Int(text), n >= 0 {
            result.aheadInstructions = n
        }
        if let text = getenv("JITCTL_LLVM_LOOP_ENTRY").map({ String(cString: $0) }), let n = Int(text), n >= 0 {
            result.loopEntryIterations = n
        }
        if let text = getenv("JITCTL_LLVM_LOOP_ENTRY_SIZE").map({ String(cString: $0) }), let n = Int(text), n >= 0 {
            result.loopEntryInstructions = n
        }
        return result
    }
}
