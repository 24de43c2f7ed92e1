import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a streaming replay writes (stdout or stderr): bytes gathered in a buffer and
/// written to a file descriptor 64 KiB at a time, or kept in memory (the library's
/// `CommandOutput` form, tests). `flush()` writes what is left.
public final class ReplayOutput {
    private let fd: Int32?
    private var buffer: [UInt8] = []
    private var kept: [UInt8] = []
    static let flushSize = 1 << 16
    /// Seconds spent in `write(2)` (the benchmark's "write" share, with rendering).
    public private(set) var writeSeconds = 0.0
    /// Set when a write failed (a closed pipe): later output is dropped.
    public private(set) var failed = false

    /// Writes to `fd` (1: stdout, 2: stderr).
    public init(fileDescriptor fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(Self.flushSize * 2)
    }

    /// Keeps everything in memory (`text`).
    public init() {
        fd = nil
    }

    public func write(_ text: String) {
        if fd == nil { kept.append(contentsOf: text.utf8); return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushSize { flush() }
    }

    public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        if fd == nil { kept.append(contentsOf: bytes); return }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { flush() }
    }

    /// Where output goes while withheld (an unlinked temporary file), and, in memory, how
    /// much was kept before.
    private var spool: Int32?
    private var keptMark: Int?

    /// From now on, output is held back (in an unlinked temporary file, so memory stays
    /// flat) until `release()` writes it or `discard()` drops it: a replay prints its
    /// decisions only once the whole file has been read without error.
    func withhold() throws {
        guard fd != nil else { keptMark = kept.count; return }
        flush()
        var template = Array((FileManager.default.temporaryDirectory.path + "/vigie-dry-run-XXXXXX").utf8CString)
        let spoolFD = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard spoolFD >= 0 else { throw ReplayLineReader.Failure(description: "cannot create a temporary file: " + String(cString: strerror(errno))) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        spool = spoolFD
    }

    /// Writes what was held back, then goes on writing directly.
    func release() {
        guard let spoolFD = spool, let fd else { keptMark = nil; return }
        flush()
        spool = nil
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
        if let mark = keptMark {
            kept.removeSubrange(mark...)
            keptMark = nil
        }
        buffer.removeAll(keepingCapacity: true)
        if let spoolFD = spool {
            close(spoolFD)
            spool = nil
        }
    }

    /// Lets `body` append bytes to the buffer itself (no intermediate string).
    func write(with body: (inout [UInt8]) -> Void) {
        if fd == nil { body(&kept); return }
        body(&buffer)
        if buffer.count >= Self.flushSize { flush() }
    }

    public func flush() {
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
    public var text: String { String(decoding: kept, as: UTF8.self) }
}

/// `write(2)` (the method above shadows the name).
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, bytes, count)
    #else
    return Darwin.write(fd, bytes, count)
    #endif
}
