#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP port on 127.0.0.1 free now: bound to port 0 and released, for a process the test
/// starts with that port in its configuration (another process may take it meanwhile;
/// the test then fails with "address already in use", never silently).
package enum LoopbackPort {
    /// Binding to port 0 on loopback failed: the machine cannot run servers, a failure.
    package struct Failure: Error, CustomStringConvertible {
        package var errno: Int32
        package var description: String { "cannot pick a free port (errno \(errno))" }
    }

    package static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(errno: errno) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard bind(fd, $0, length) == 0, getsockname(fd, $0, &length) == 0 else {
                    throw Failure(errno: errno)
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
