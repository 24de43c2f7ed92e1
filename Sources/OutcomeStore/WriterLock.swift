import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exclusive right to write one database file: `vigie serve` takes it before it
/// opens, migrates, recovers or writes anything, and holds it until it exits, so a
/// second `vigie serve` on the same file stops before it has changed anything (two
/// engines deciding on the same notifications would send the same commands twice).
/// Readers (`vigie log`, `pause`, `resume`, `backup`) do not take it.
///
/// The lock is an advisory `flock(2)` on a file beside the database (`<database>.lock`),
/// which holds the holder's pid and start instant for the message a second start prints.
/// The kernel releases it when the process ends, however it ends (`kill -9` included),
/// so a stale lock file never blocks a restart. `flock` locks are independent of the
/// POSIX locks SQLite takes on the database itself.
package final class WriterLock: Sendable {
    /// The lock file.
    package let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The lock file of a database file.
    package static func lockPath(forDatabase databasePath: String) -> String { databasePath + ".lock" }

    /// Takes the lock of `databasePath` or throws `WriterLockError.inUse` naming its holder.
    /// Never waits. The lock lasts as long as the returned object (or the process).
    package static func acquire(databasePath: String, pid: Int32 = getpid(), now: Date = Date()) throws -> WriterLock {
        let path = lockPath(forDatabase: databasePath)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WriterLockError.unusable(path, String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.readHolder(fd)
            close(fd)
            if code == EWOULDBLOCK { throw WriterLockError.inUse(databasePath, holder) }
            throw WriterLockError.unusable(path, String(cString: strerror(code)))
        }
        let text = "pid \(pid) since \(Timestamp.format(now))\n"
        guard ftruncate(fd, 0) == 0, Self.writeAll(fd, Array(text.utf8)) else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw WriterLockError.unusable(path, why)
        }
        return WriterLock(path: path, descriptor: fd)
    }

    /// What the holder wrote ("pid N since T"), or nil while it has not written yet.
    private static func readHolder(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = pwrite(fd, raw.baseAddress! + offset, raw.count - offset, off_t(offset))
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}

/// Why the writer lock could not be taken.
package enum WriterLockError: Error, Equatable, CustomStringConvertible {
    /// Another process holds it: the database and what its holder wrote ("pid N since T").
    case inUse(String, String?)
    /// The lock file cannot be created or locked: its path and the system's reason.
    case unusable(String, String)

    package var description: String {
        switch self {
        case .inUse(let database, let holder?):
            return "database \(database) in use by \(holder) (another vigie serve); stop it first"
        case .inUse(let database, nil):
            return "database \(database) in use by another vigie serve; stop it first"
        case .unusable(let path, let why):
            return "cannot lock \(path): \(why)"
        }
    }
}
