/// A document that is JSON but not the exporter's.
struct ExportFormatError: Error, CustomStringConvertible {
    var description: String
}

extension CPythonExport {
    /// Reads the exporter's document.
    init(json text: [UInt8]) throws {
        let document: JSONValue
        do {
            document = try JSONValue.parse(text)
        } catch {
            throw ExportFormatError(description: "\(error)")
        }
        let root = try Fields(document, "the document")
        version = try root.array("version").map { try Fields.int($0, "version") }
        error = try root.optional("error").map { v in
            let f = try Fields(v, "error")
            return Failure(message: try f.string("message"), line: try f.optionalInt("line"), col: try f.optionalInt("col"))
        }
        guard case .object(let names) = try root.required("bindings") else { throw ExportFormatError(description: "bindings is not an object") }
        bindings = try names.mapValues { v in try Fields.string(v, "a binding") }
        functions = try root.array("functions").map { v in try Function(json: v) }
    }
}

extension CPythonExport.Function {
    init(json: JSONValue) throws {
        let f = try Fields(json, "a function")
        name = try f.string("name")
        args = try f.strings("args")
        line = try f.int("line")
        problem = try f.optionalString("problem")
        protected = try f.array("protected").map { v in
            guard case .array(let range) = v else { throw ExportFormatError(description: "a protected range is not an array") }
            return try range.map { try Fields.int($0, "a protected range") }
        }
        code = try f.array("code").map { v in try CPythonExport.Instruction(json: v) }
    }
}

extension CPythonExport.Instruction {
    init(json: JSONValue) throws {
        let f = try Fields(json, "an instruction")
        op = try f.string("op")
        arg = try f.optionalInt("arg")
        val = try f.optional("val").map { v in try CPythonExport.Value(json: v) }
        rep = try f.optionalString("rep")
        off = try f.int("off")
        line = try f.optionalInt("line")
        col = try f.optionalInt("col")
        jump = try f.optionalInt("jump")
    }
}

extension CPythonExport.Value {
    init(json: JSONValue) throws {
        let f = try Fields(json, "a value")
        type = try f.string("type")
        int = try f.optionalString("int")
        str = try f.optionalString("str")
        names = try f.optional("names").map { _ in try f.strings("names") }
        ints = try f.optional("ints").map { _ in try f.strings("ints") }
        repr = try f.optionalString("repr")
    }
}

/// The members of one JSON object, read by type; `null` counts as absent.
private struct Fields {
    let members: [String: JSONValue]
    let context: String

    init(_ value: JSONValue, _ context: String) throws {
        guard case .object(let members) = value else { throw ExportFormatError(description: "\(context) is not an object") }
        self.members = members
        self.context = context
    }

    func optional(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    func required(_ key: String) throws -> JSONValue {
        guard let value = optional(key) else { throw ExportFormatError(description: "\(context) has no \(key)") }
        return value
    }

    func string(_ key: String) throws -> String { try Self.string(required(key), "\(key) of \(context)") }
    func optionalString(_ key: String) throws -> String? { try optional(key).map { v in try Self.string(v, key) } }
    func int(_ key: String) throws -> Int { try Self.int(required(key), "\(key) of \(context)") }
    func optionalInt(_ key: String) throws -> Int? { try optional(key).map { v in try Self.int(v, key) } }

    func array(_ key: String) throws -> [JSONValue] {
        guard case .array(let items) = try required(key) else { throw ExportFormatError(description: "\(key) of \(context) is not an array") }
        return items
    }

    func strings(_ key: String) throws -> [String] {
        try array(key).map { v in try Self.string(v, key) }
    }

    static func string(_ value: JSONValue, _ what: String) throws -> String {
        guard case .string(let s) = value else { throw ExportFormatError(description: "\(what) is not a string") }
        return s
    }

    static func int(_ value: JSONValue, _ what: String) throws -> Int {
        guard case .number(let text) = value, let n = Int(text) else { throw ExportFormatError(description: "\(what) is not an integer") }
        return n
    }
}
