import BytecodeFrontend
import JitIR
import NativeCode

// The module half of include/jitctl.h: creating, looking into and freeing modules. These run
// once per compilation; the per-call path is `jitctl_call` (CallAPI.swift).

/// The version of the interface (`JITCTL_ABI_VERSION`).
@_cdecl("jitctl_abi_version")
public func jitctl_abi_version() -> Int32 { 1 }

/// The exporter's Python source, copied once into memory that lives as long as the process
/// (never written after, hence `nonisolated(unsafe)`).
private nonisolated(unsafe) let exporterScript: UnsafePointer<CChar> = {
    let bytes = Array(CPythonExporter.script.utf8CString)
    let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
    copy.initialize(from: bytes, count: bytes.count)
    return UnsafePointer(copy)
}()

/// `jitctl_cpython_exporter_script`: see the header.
@_cdecl("jitctl_cpython_exporter_script")
public func jitctl_cpython_exporter_script() -> UnsafePointer<CChar> { exporterScript }

/// `jitctl_module_from_cpython_export`: see the header.
@_cdecl("jitctl_module_from_cpython_export")
public func jitctl_module_from_cpython_export(
    _ json: UnsafePointer<CChar>?, _ length: Int, _ file: UnsafePointer<CChar>?, _ entry: UnsafePointer<CChar>?,
    _ backend: Int32, _ module: UnsafeMutablePointer<OpaquePointer?>?,
    _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int
) -> Int32 {
    module?.pointee = nil
    guard let json, let file, let entry, let module, length >= 0 else {
        writeMessage("jitctl: a null argument", to: message, capacity: capacity)
        return CStatus.argument
    }
    let fileName = String(cString: file)
    let bytes = Array(UnsafeRawBufferPointer(start: json, count: length))
    return makeModule(fileName, backend, module, message, capacity) {
        try PythonSource(exportJSON: bytes, file: fileName).module(entry: String(cString: entry))
    }
}

/// `jitctl_module_from_sbc`: see the header.
@_cdecl("jitctl_module_from_sbc")
public func jitctl_module_from_sbc(
    _ text: UnsafePointer<CChar>?, _ length: Int, _ file: UnsafePointer<CChar>?, _ backend: Int32,
    _ module: UnsafeMutablePointer<OpaquePointer?>?, _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int
) -> Int32 {
    module?.pointee = nil
    guard let text, let file, let module, length >= 0 else {
        writeMessage("jitctl: a null argument", to: message, capacity: capacity)
        return CStatus.argument
    }
    let fileName = String(cString: file)
    let source = String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
    return makeModule(fileName, backend, module, message, capacity) {
        try BytecodeFrontend.parse(sbc: source, file: fileName)
    }
}

/// Reads the program with `read`, compiles it and stores the retained module, reporting any
/// failure as a status and a message.
private func makeModule(_ file: String, _ backend: Int32, _ out: UnsafeMutablePointer<OpaquePointer?>,
                        _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int,
                        _ read: () throws -> BytecodeModule) -> Int32 {
    guard let kind = EmbeddedModule.Backend(rawValue: backend) else {
        writeMessage("jitctl: unknown backend \(backend) (0 auto, 1 x86, 2 llvm)", to: message, capacity: capacity)
        return CStatus.argument
    }
    do {
        let compiled = try EmbeddedModule(read(), file: file, backend: kind)
        out.pointee = OpaquePointer(Unmanaged.passRetained(compiled).toOpaque())
        writeMessage("", to: message, capacity: capacity)
        return CStatus.ok
    } catch let error as BackendFailure {
        writeMessage("jitctl: \(error.message)", to: message, capacity: capacity)
        return CStatus.backend
    } catch {
        // SourceError renders as "file:line:col: error: message"; anything else is the program's too.
        writeMessage("\(error)", to: message, capacity: capacity)
        return CStatus.source
    }
}

private func embedded(_ module: OpaquePointer) -> EmbeddedModule {
    Unmanaged<EmbeddedModule>.fromOpaque(UnsafeRawPointer(module)).takeUnretainedValue()
}

/// `jitctl_module_function`: see the header.
@_cdecl("jitctl_module_function")
public func jitctl_module_function(_ module: OpaquePointer?, _ name: UnsafePointer<CChar>?,
                                   _ status: UnsafeMutablePointer<Int32>?) -> OpaquePointer? {
    guard let module, let name else {
        status?.pointee = CStatus.argument
        return nil
    }
    guard let block = embedded(module).function(String(cString: name)) else {
        status?.pointee = CStatus.notFound
        return nil
    }
    status?.pointee = CStatus.ok
    return OpaquePointer(block)
}

/// `jitctl_function_arity`: see the header.
@_cdecl("jitctl_function_arity")
public func jitctl_function_arity(_ function: OpaquePointer?) -> Int32 {
    guard let function else { return -1 }
    return Int32(DirectCall.arity(UnsafeRawPointer(function)))
}

/// `jitctl_trap_message`: see the header.
@_cdecl("jitctl_trap_message")
public func jitctl_trap_message(_ module: OpaquePointer?, _ site: Int64,
                                _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    guard let module, let trap = embedded(module).trap(site: site) else {
        writeMessage("jitctl: no such trap site", to: message, capacity: capacity)
        return CStatus.argument
    }
    writeMessage(trap.render(file: embedded(module).file), to: message, capacity: capacity)
    return CStatus.trap(trap.kind)
}

/// `jitctl_module_free`: see the header.
@_cdecl("jitctl_module_free")
public func jitctl_module_free(_ module: OpaquePointer?) {
    guard let module else { return }
    Unmanaged<EmbeddedModule>.fromOpaque(UnsafeRawPointer(module)).release()
}
