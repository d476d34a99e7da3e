#if canImport(Glibc)
import Glibc
#endif

/// A program run to completion with both outputs collected. It uses `posix_spawn` rather than
/// Foundation's `Process`: this module is linked into `jitctl`, and loading Foundation costs every
/// start a few milliseconds.
struct ChildProcess {
    /// The exit status, or 128 + the signal number when a signal ended it.
    var status: Int32
    var stdout: [UInt8]
    var stderr: [UInt8]

    /// Why a program could not be started.
    struct LaunchError: Error {
        var reason: String
    }

    /// Runs `executable` (a path) with `arguments`, standard input from /dev/null.
    static func run(_ executable: String, _ arguments: [String]) throws(LaunchError) -> ChildProcess {
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard makePipe(&outPipe) else { throw LaunchError(reason: String(cString: strerror(errno))) }
        guard makePipe(&errPipe) else {
            let reason = String(cString: strerror(errno))
            close(outPipe[0]); close(outPipe[1])
            throw LaunchError(reason: reason)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // dup2 leaves the copies open across exec; the pipes' own ends are close-on-exec.
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw LaunchError(reason: String(cString: strerror(spawned)))
        }
        // Both pipes are drained together, so a child that fills one cannot stall on it.
        var collected: [[UInt8]] = [[], []]
        var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0),
                   pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while fds.contains(where: { $0.fd >= 0 }) {
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for i in fds.indices where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    collected[i] += buffer[0..<n]
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(fds[i].fd)
                    fds[i].fd = -1
                }
            }
        }
        for fd in fds where fd.fd >= 0 { close(fd.fd) }
        var wait: Int32 = 0
        while waitpid(pid, &wait, 0) < 0 && errno == EINTR {}
        let signal = wait & 0x7f
        let status = signal == 0 ? (wait >> 8) & 0xff : 128 + signal
        return ChildProcess(status: status, stdout: collected[0], stderr: collected[1])
    }

    /// A pipe whose ends close on exec (the child gets only the copies made for it).
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }
}
