import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The sd_notify protocol without libsystemd: datagrams such as `READY=1` sent to the
/// `AF_UNIX` socket systemd names in `$NOTIFY_SOCKET` (a path, or `@name` for the
/// abstract namespace). `vigie serve` sends `READY=1` once its webhook listener is bound,
/// `STOPPING=1` when it shuts down and, when the unit sets `WatchdogSec=`, `WATCHDOG=1`
/// at half that period (contrib/systemd/vigie.service, docs/production.md).
package struct SystemdNotifier: Sendable {
    /// The socket address (`$NOTIFY_SOCKET`).
    package let socketPath: String
    /// The watchdog period asked for by the unit (`$WATCHDOG_USEC`, in seconds), if it
    /// is meant for this process (`$WATCHDOG_PID` unset or ours).
    package let watchdogPeriod: Double?

    /// The notifier the environment asks for, or nil when not run by systemd with
    /// `Type=notify` (no `$NOTIFY_SOCKET`).
    package init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let path = environment["NOTIFY_SOCKET"], path.count > 1 else { return nil }
        socketPath = path
        if let text = environment["WATCHDOG_USEC"], let usec = Double(text), usec > 0,
           environment["WATCHDOG_PID"].map({ $0 == String(getpid()) }) ?? true {
            watchdogPeriod = usec / 1_000_000
        } else {
            watchdogPeriod = nil
        }
    }

    /// Sends one state message (lines `KEY=VALUE`). Throws when the socket cannot be
    /// reached: systemd would then never see the service as ready.
    package func send(_ state: String) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw NotifyError(path: socketPath, errno: errno) }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(socketPath.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }  // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw NotifyError(path: socketPath, errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes.first == 0 ? 0 : 1))
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                sendto(fd, message, message.count, Int32(MSG_NOSIGNAL), sa, length)
            }
        }
        guard sent == message.count else { throw NotifyError(path: socketPath, errno: errno) }
    }

    /// Why a notification could not be sent.
    package struct NotifyError: Error, CustomStringConvertible {
        package let path: String
        package let errno: Int32
        package var description: String { "cannot notify systemd at \(path): \(String(cString: strerror(errno)))" }
    }
}
