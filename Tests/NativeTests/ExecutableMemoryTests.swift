import Foundation
import JitIR
import NativeCode
import Testing

@Suite struct ExecutableMemoryTests {
    /// The permissions column of the /proc/self/maps line containing `address`.
    static func permissions(of address: UInt64) throws -> String? {
        // /proc files report size 0, so read to end of file rather than by size.
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        defer { try? handle.close() }
        let maps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ")
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let lo = UInt64(range[0], radix: 16), let hi = UInt64(range[1], radix: 16) else {
                continue
            }
            if lo <= address && address < hi { return String(fields[1]) }
        }
        return nil
    }

    @Test func codeIsMappedReadExecuteNeverWritable() throws {
        let code = try assemble { $0.mov(.eax, 7); $0.ret() }
        let memory = try ExecutableMemory(code: code)
        let perms = try #require(try Self.permissions(of: memory.baseAddress))
        #expect(perms.hasPrefix("r-x"), "\(perms)")
        #expect(memory.codeSize == code.count)
        #expect(memory.mappedSize % 4096 == 0 && memory.mappedSize >= code.count)
        #expect(Array(UnsafeRawBufferPointer(start: memory.address, count: code.count)) == code)
        // The rest of the page traps if reached.
        #expect(memory.address.load(fromByteOffset: code.count, as: UInt8.self) == 0xCC)
        #expect(memory.contains(memory.address(at: code.count - 1)) && !memory.contains(memory.address(at: code.count)))
    }

    @Test func runtimeStubsAreReadExecute() throws {
        let trap = try #require(try Self.permissions(of: NativeContext.trapAddress))
        let entry = try #require(try Self.permissions(of: NativeContext.entryTrampolineAddress))
        #expect(trap.hasPrefix("r-x") && entry.hasPrefix("r-x"))
    }

    @Test func largeCodeSpansPages() throws {
        var a = Assembler()
        a.nop(10_000)
        a.mov(.eax, 3)
        a.ret()
        let memory = try ExecutableMemory(code: try a.finish())
        #expect(memory.mappedSize >= 12288)
        for offset in stride(from: 0, to: memory.mappedSize, by: 4096) {
            #expect(try Self.permissions(of: memory.baseAddress + UInt64(offset))?.hasPrefix("r-x") == true)
        }
        let ctx = try NativeContext(memorySize: 0)
        #expect(try ctx.call(memory.address, arguments: [], io: ProgramIO()) == .returned(3))
    }

    @Test func emptyCodeIsRejected() {
        #expect(throws: ExecutableMemoryError.emptyCode) { try ExecutableMemory(code: []) }
    }
}
