import JitIR
import TestSupport
import Testing

/// `CopyPropagation` and `OverwrittenStores`, the clean-ups after the Brainfuck lowering: what they
/// remove, and what they must leave for a trap to see the memory it would have seen.
struct BlockCleanupTests {
    static func function(_ text: String) throws -> Function {
        try #require(IRText.parse("memory 64\n" + text, file: "t.ir").functions.first)
    }

    static func body(_ f: Function, block: Int = 0) -> [String] {
        f.blocks[block].instructions.map { IRText.print($0, in: f) }
    }

    @Test func readsGoThroughCopyChainsAndDeadCopiesGo() throws {
        let f = try Self.function("""
            func @f(%0: i64) -> i64 {
              regs %1: i64, %2: i64, %3: i64
            entry:
              %1 = copy i64 %0
              %2 = copy i64 %1
              %3 = add i64 %2, 1
              ret %3
            }
            """)
        let g = CopyPropagation.run(f)
        #expect(Self.body(g) == ["%3 = add i64 %0, 1"])
        try IRVerifier.verify(Module(memorySize: 64, functions: [g]))
    }

    @Test func aCopyEndsWhenItsSourceIsAssignedAndSurvivesWhereItIsLiveOut() throws {
        let f = try Self.function("""
            func @f(%0: i64) -> i64 {
              regs %1: i64, %2: i1
            entry:
              %1 = copy i64 %0
              %0 = add i64 %0, 5
              %2 = cmp eq i64 %1, 3
              br %2, yes, no
            yes:
              ret %1
            no:
              ret %0
            }
            """)
        let g = CopyPropagation.run(f)
        // %1 still holds the old %0 after %0 changed, and block `yes` reads it.
        #expect(Self.body(g) == ["%1 = copy i64 %0", "%0 = add i64 %0, 5", "%2 = cmp eq i64 %1, 3"])
    }

    static let stores = """
        func @f(%0: i64) {
          regs %1: i8
        entry:
          %1 = load i8 [%0 + 3]
          %1 = load i8 [%0 + 2]
          store i8 1, [%0 + 2]
          store i8 %1, [%0 + 3]
          store i8 2, [%0 + 2]
          ret
        }
        """

    @Test func aStoreOverwrittenBeforeAnythingReadsItGoes() throws {
        let g = OverwrittenStores.run(try Self.function(Self.stores))
        #expect(Self.body(g) == ["%1 = load i8 [%0 + 3]", "%1 = load i8 [%0 + 2]", "store i8 %1, [%0 + 3]",
                                 "store i8 2, [%0 + 2]"])
    }

    /// `[%0 + 4]` is touched for the first time between the two stores: it may trap, and the trap
    /// must see the first store's 1.
    @Test func anAccessThatMayTrapKeepsTheStoreBeforeIt() throws {
        let f = try Self.function("""
            func @f(%0: i64) {
              regs %1: i8
            entry:
              %1 = load i8 [%0 + 2]
              store i8 1, [%0 + 2]
              %1 = load i8 [%0 + 4]
              store i8 2, [%0 + 2]
              ret
            }
            """)
        #expect(Self.body(OverwrittenStores.run(f)).contains("store i8 1, [%0 + 2]"))
    }

    /// A store never touched before may trap itself: it stays, even when overwritten.
    @Test func aStoreThatMayTrapStays() throws {
        let f = try Self.function("""
            func @f(%0: i64) {
            entry:
              store i8 1, [%0 + 2]
              store i8 2, [%0 + 2]
              ret
            }
            """)
        #expect(Self.body(OverwrittenStores.run(f)).count == 2)
    }

    /// The cells known through a moving pointer follow it, also around a loop.
    @Test func cellsAreKnownThroughPointerMovesAndLoops() throws {
        let f = try Self.function("""
            func @f(%0: i64) {
              regs %1: i8, %2: i1
            entry:
              %1 = load i8 [%0 + 8]
              jump loop
            loop:
              %0 = add i64 %0, 4
              store i8 1, [%0 + 4]
              store i8 2, [%0 + 4]
              %1 = load i8 [%0 + 4]
              %0 = add i64 %0, -4
              %2 = cmp ne i8 %1, 0
              br %2, loop, exit
            exit:
              ret
            }
            """)
        let g = OverwrittenStores.run(f)
        #expect(Self.body(g, block: 1) == ["%0 = add i64 %0, 4", "store i8 2, [%0 + 4]", "%1 = load i8 [%0 + 4]",
                                            "%0 = add i64 %0, -4", "%2 = cmp ne i8 %1, 0"])
    }

    /// A dropped store takes the probe that marked it along (IR invariant I12).
    @Test func aProbeGoesWithItsStore() throws {
        let f = try Self.function("""
            func @f(%0: i64) {
              regs %1: i8
            entry:
              %1 = load i8 [%0 + 2]
              probe i8 [%0 + 2]
              store i8 1, [%0 + 2]
              store i8 2, [%0 + 2]
              ret
            }
            """)
        let g = OverwrittenStores.run(f)
        #expect(Self.body(g) == ["%1 = load i8 [%0 + 2]", "store i8 2, [%0 + 2]"])
        try IRVerifier.verify(Module(memorySize: 64, functions: [g]))
    }

    /// A store of what the cell already holds changes nothing.
    @Test func aStoreOfTheValueTheCellHoldsGoes() throws {
        let f = try Self.function("""
            func @f(%0: i64) {
              regs %1: i8, %2: i8
            entry:
              %1 = load i8 [%0 + 2]
              %2 = copy i8 %1
              store i8 %1, [%0 + 3]
              store i8 %1, [%0 + 2]
              store i8 5, [%0 + 3]
              store i8 5, [%0 + 3]
              ret
            }
            """)
        #expect(Self.body(OverwrittenStores.run(f)) == ["%1 = load i8 [%0 + 2]", "%2 = copy i8 %1", "store i8 %1, [%0 + 3]",
                                                        "store i8 5, [%0 + 3]"])
    }
}
