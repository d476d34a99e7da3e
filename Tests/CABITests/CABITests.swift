import Foundation
import JitCtlC
import Testing

/// The C ABI of include/jitctl.h, called as C would call it: status codes, messages in the
/// caller's buffer, traps, argument checks, on both backends. (The Python package's tests
/// exercise it through ctypes and a C client too.)
struct CABITests {
    /// `divide`, `down` (recursive) and `wide` (eight parameters); the Python tests compile it too.
    static let program: String = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("abi.sbc").path
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }()

    /// Compiles `text` as `.sbc`; the status, the module and the message.
    static func compile(_ text: String, backend: Int32, capacity: Int = 256) -> (Int32, OpaquePointer?, String) {
        var module: OpaquePointer?
        var buffer = [CChar](repeating: 1, count: max(1, capacity))
        let status = text.withCString { source in
            "t.sbc".withCString { file in
                jitctl_module_from_sbc(source, text.utf8.count, file, backend, &module, &buffer, capacity)
            }
        }
        return (status, module, capacity > 0 ? Self.text(buffer) : "")
    }

    /// The NUL-terminated text in a C buffer.
    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func call(_ function: OpaquePointer?, _ args: [Int64], depth: Int64 = 0) -> (Int32, Int64) {
        var result: Int64 = 0
        let status = args.withUnsafeBufferPointer { jitctl_call(function, $0.baseAddress, args.count, depth, &result) }
        return (status, result)
    }

    @Test(arguments: [Int32(1), 2])
    func callsAndTraps(backend: Int32) throws {
        let (status, module, message) = Self.compile(Self.program, backend: backend)
        #expect(status == 0 && message.isEmpty)
        defer { jitctl_module_free(module) }
        let divide = "divide".withCString { jitctl_module_function(module, $0, nil) }
        let down = "down".withCString { jitctl_module_function(module, $0, nil) }
        #expect(jitctl_function_arity(divide) == 2)
        #expect(Self.call(divide, [-7, 2]) == (0, -4))
        let (trap, site) = Self.call(divide, [1, 0])
        #expect(trap == 4)
        var text = [CChar](repeating: 0, count: 200)
        #expect(jitctl_trap_message(module, site, &text, 200) == 4)
        #expect(Self.text(text).hasPrefix("t.sbc:26:5: trap: ZeroDivisionError"))
        #expect(Self.call(divide, [Int64.min, -1]).0 == 5)
        #expect(Self.call(down, [50], depth: 51) == (0, 50))
        #expect(Self.call(down, [51], depth: 51).0 == 7)
        #expect(Self.call(divide, [1]).0 == -1)
        #expect(jitctl_call(divide, nil, 2, 0, nil) == -1)
    }

    @Test func errorsAreStatusesAndMessages() {
        let (status, module, message) = Self.compile("def f(x):\n    BOGUS\n", backend: 1)
        #expect(status == -2 && module == nil)
        #expect(message.hasPrefix("t.sbc:2:5: error:"))
        #expect(Self.compile(Self.program, backend: 9).0 == -1)
        #expect(Self.compile("def f(x):\n    BOGUS\n", backend: 1, capacity: 8).2 == "t.sbc:2")
        #expect(Self.compile("def f(x):\n    BOGUS\n", backend: 1, capacity: 0).0 == -2)
        var missing: Int32 = 0
        let (_, good, _) = Self.compile(Self.program, backend: 1)
        #expect("nope".withCString { jitctl_module_function(good, $0, &missing) } == nil && missing == -3)
        jitctl_module_free(good)
        jitctl_module_free(nil)
    }

    /// A document as the exporter prints it for `def add(a, b): return a + b` under CPython 3.11.
    @Test(arguments: [Int32(0), 2])
    func cpythonExport(backend: Int32) throws {
        let document = """
        {"version":[3,11,7],"bindings":{"add":"function"},"functions":[{"name":"add","args":["a","b"],"line":1,\
        "problem":null,"protected":[],"code":[{"op":"RESUME","arg":0,"off":0,"line":1,"col":null},\
        {"op":"LOAD_FAST","arg":0,"val":{"type":"str","str":"a"},"off":2,"line":2,"col":11},\
        {"op":"LOAD_FAST","arg":1,"val":{"type":"str","str":"b"},"off":4,"line":2,"col":15},\
        {"op":"BINARY_OP","arg":0,"rep":"+","off":6,"line":2,"col":11},\
        {"op":"RETURN_VALUE","arg":null,"off":10,"line":2,"col":4}]}]}
        """
        var module: OpaquePointer?
        var buffer = [CChar](repeating: 0, count: 256)
        let status = document.withCString { json in
            jitctl_module_from_cpython_export(json, document.utf8.count, "add.py", "add", backend, &module, &buffer, 256)
        }
        #expect(status == 0, "\(Self.text(buffer))")
        defer { jitctl_module_free(module) }
        let add = "add".withCString { jitctl_module_function(module, $0, nil) }
        #expect(Self.call(add, [2, 3]) == (0, 5))
        #expect(Self.call(add, [Int64.max, 1]).0 == 5)

        let unsupported = document.replacing("\"op\":\"BINARY_OP\",\"arg\":0,\"rep\":\"+\"",
                                                        with: "\"op\":\"LOAD_ATTR\",\"arg\":0")
        let failed = unsupported.withCString { json in
            jitctl_module_from_cpython_export(json, unsupported.utf8.count, "add.py", "add", backend, &module, &buffer, 256)
        }
        #expect(failed == -2 && module == nil)
        #expect(Self.text(buffer).hasPrefix("add.py:2:12: error: unsupported"))
    }

    @Test func theExporterScriptIsServed() {
        let script = String(cString: jitctl_cpython_exporter_script())
        #expect(script.contains("def export_function(name, c, lines):"))
        #expect(script.contains("if __name__ == \"__main__\":"))
        #expect(jitctl_abi_version() == 1)
    }
}
