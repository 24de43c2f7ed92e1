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

    /// Lets `body` append bytes to the buffer itself (no intermediate string).
    func write(with body: (inout [UInt8]) -> Void) {
        if fd == nil { body(&kept); return }
        body(&buffer)
        if buffer.count >= Self.flushSize { flush() }
    }

    public func flush() {
        guard let fd, !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        guard !failed else { return }
        let start = ReplayClock.now()
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
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
