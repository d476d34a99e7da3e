import JitIR
import LLVMBackend
import NativeCode
import TestSupport
import Testing

/// `LLVMBackend.compileObject` and `LoadedObject`: code compiled to an object file, for another
/// process, and loaded here (the tier-up compile server's path; the driver's tests run it).
@Suite struct ObjectCompilationTests {
    @Test func theLoaderRejectsWhatIsNotAnObjectItCanLoad() throws {
        #expect(throws: ObjectLoadError.self) { try LoadedObject([0x7F, 0x45, 0x4C, 0x46]) { _ in nil } }
        #expect(throws: ObjectLoadError.self) { try LoadedObject(Array(repeating: 0, count: 200)) { _ in nil } }
        let module = try IRText.parse(SampleModules.sumToText, file: "loop.ir")
        let object = try LLVMBackend().compileObject(module, bindings: .placeholder, firstSite: 0)
        #expect(try LoadedObject(object.bytes) { object.externalSymbols[$0] }.address(of: object.entrySymbols["sum_to"]!) != nil)
        for cut in [64, object.bytes.count / 2, object.bytes.count - 1] {
            #expect(throws: ObjectLoadError.self) { try LoadedObject(Array(object.bytes.prefix(cut))) { object.externalSymbols[$0] } }
        }
    }
}
