import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a streaming replay writes (stdout or stderr): bytes gathered in a buffer and
/// written to a file descriptor 64 KiB at a time, or kept in memory (the library's
/// `CommandOutput` form, tests). `flush()` writes what is left.
package final class ReplayOutput {
    private let fd: Int32?
    /// The file descriptor written to (nil: in memory).
    var fileDescriptor: Int32? { fd }
    private var buffer: [UInt8] = []
    private var kept: [UInt8] = []
    static let flushSize = 1 << 16
    /// Seconds spent in `write(2)` (the benchmark's "write" share, with rendering).
    package private(set) var writeSeconds = 0.0
    /// Set when a write failed (a closed pipe): later output is dropped.
    package private(set) var failed = false

    /// Writes to `fd` (1: stdout, 2: stderr).
    package init(fileDescriptor fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(Self.flushSize * 2)
    }

    /// Keeps everything in memory (`text`).
    package init() {
        fd = nil
    }

    package func write(_ text: String) {
        if fd == nil { kept.append(contentsOf: text.utf8); return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushSize { flush() }
    }

    package func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        if fd == nil { kept.append(contentsOf: bytes); return }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { flush() }
    }

    /// How output is held back between `withhold()` and `release()` / `discard()`.
    private enum Holding {
        /// Not held.
        case none
        /// In memory (the in-memory form): `kept` from this mark on.
        case kept(mark: Int)
        /// Written as made to a regular file that nothing else writes to; `discard()`
        /// cuts the file back to this offset (and seeks there unless appending).
        case truncate(offset: Int, appending: Bool)
        /// Written as made to /dev/null: nothing can read it, nothing to take back.
        case unread
        /// In an unlinked temporary file (a pipe, a terminal: what is written there cannot
        /// be taken back), copied out by `release()`.
        case spool(Int32)
    }

    private var holding = Holding.none

    /// From now on, output is held back until `release()` writes it or `discard()` drops
    /// it: a replay prints its decisions only once the whole file has been read without
    /// error. Memory stays flat whatever the output's size: output to a regular file is
    /// written as made and cut back by `discard()` (unless `otherFD`, the error output,
    /// writes to the same file), output to /dev/null is written as made, and output to
    /// anything else (a pipe, a terminal) goes to an unlinked temporary file meanwhile.
    func withhold(otherFD: Int32? = nil) throws {
        guard let fd else { holding = .kept(mark: kept.count); return }
        flush()
        var info = stat()
        if fstat(fd, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFREG, !Self.sameFile(info, otherFD) {
                let flags = fcntl(fd, F_GETFL)
                let appending = flags >= 0 && flags & O_APPEND != 0
                let offset = appending ? Int(info.st_size) : Int(lseek(fd, 0, SEEK_CUR))
                if offset >= 0 {
                    holding = .truncate(offset: offset, appending: appending)
                    return
                }
            }
            var null = stat()
            if info.st_mode & S_IFMT == S_IFCHR, stat("/dev/null", &null) == 0, null.st_rdev == info.st_rdev {
                holding = .unread
                return
            }
        }
        var template = Array((FileManager.default.temporaryDirectory.path + "/vigie-dry-run-XXXXXX").utf8CString)
        let spoolFD = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard spoolFD >= 0 else { throw ReplayLineReader.Failure(description: "cannot create a temporary file: " + String(cString: strerror(errno))) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        holding = .spool(spoolFD)
    }

    /// Whether `other` is open on the file `info` describes.
    private static func sameFile(_ info: stat, _ other: Int32?) -> Bool {
        guard let other else { return false }
        var otherInfo = stat()
        return fstat(other, &otherInfo) == 0 && otherInfo.st_dev == info.st_dev && otherInfo.st_ino == info.st_ino
    }

    private var spool: Int32? {
        if case .spool(let spoolFD) = holding { return spoolFD }
        return nil
    }

    /// Writes what was held back, then goes on writing directly.
    func release() {
        guard case .spool(let spoolFD) = holding, let fd else {
            flush()
            holding = .none
            return
        }
        flush()
        holding = .none
        defer { close(spoolFD) }
        let start = ReplayClock.now()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        lseek(spoolFD, 0, SEEK_SET)
        while !failed {
            let n = chunk.withUnsafeMutableBytes { read(spoolFD, $0.baseAddress!, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            chunk.withUnsafeBytes { raw in
                var offset = 0
                while offset < n {
                    let w = systemWrite(fd, raw.baseAddress! + offset, n - offset)
                    if w < 0 {
                        if errno == EINTR { continue }
                        failed = true
                        return
                    }
                    offset += w
                }
            }
        }
        writeSeconds += ReplayClock.now() - start
    }

    /// Drops what was held back.
    func discard() {
        buffer.removeAll(keepingCapacity: true)
        switch holding {
        case .none, .unread:
            break
        case .kept(let mark):
            kept.removeSubrange(mark...)
        case .truncate(let offset, let appending):
            if let fd {
                _ = ftruncate(fd, off_t(offset))
                if !appending { lseek(fd, off_t(offset), SEEK_SET) }
            }
        case .spool(let spoolFD):
            close(spoolFD)
        }
        holding = .none
    }

    /// Lets `body` append bytes to the buffer itself (no intermediate string).
    func write(with body: (inout [UInt8]) -> Void) {
        if fd == nil { body(&kept); return }
        body(&buffer)
        if buffer.count >= Self.flushSize { flush() }
    }

    package func flush() {
        guard let target = spool ?? fd, !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        guard !failed else { return }
        let start = ReplayClock.now()
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(target, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    return
                }
                offset += n
            }
        }
        writeSeconds += ReplayClock.now() - start
    }

    /// What was written to an in-memory output.
    package var text: String { String(decoding: kept, as: UTF8.self) }
}

/// `write(2)` (the method above shadows the name).
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, bytes, count)
    #else
    return Darwin.write(fd, bytes, count)
    #endif
}
