#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in chunks of bytes and hands on its lines (without the `\n`; a final
/// line without one included), numbered from 1. One buffer, reused: memory does not
/// grow with the file, only with its longest line.
struct ReplayLineReader {
    /// A read failed (`errno` text).
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fd: Int32
    var chunkSize = 1 << 20
    /// Seconds spent in `read(2)`.
    private(set) var readSeconds = 0.0
    private(set) var bytesRead = 0

    init(fileDescriptor fd: Int32) {
        self.fd = fd
    }

    /// Calls `body` with each line and its number; stops early when `body` returns false.
    mutating func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) -> Bool) throws {
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        var capacity = chunkSize
        defer { buffer.deallocate() }
        var start = 0, end = 0, number = 0
        while true {
            if end == capacity {
                if start > 0 {
                    memmove(buffer, buffer + start, end - start)
                    end -= start
                    start = 0
                } else {   // one line longer than the buffer
                    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                    bigger.update(from: buffer, count: end)
                    buffer.deallocate()
                    buffer = bigger
                    capacity *= 2
                }
            }
            let t0 = ReplayClock.now()
            let n = read(fd, buffer + end, capacity - end)
            readSeconds += ReplayClock.now() - t0
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: String(cString: strerror(errno)))
            }
            if n == 0 {
                if start < end {
                    number += 1
                    _ = body(UnsafeBufferPointer(start: buffer + start, count: end - start), number)
                }
                return
            }
            bytesRead += n
            var scan = end
            end += n
            while scan < end, let hit = memchr(buffer + scan, 0x0A, end - scan) {
                let stop = hit.assumingMemoryBound(to: UInt8.self) - buffer
                number += 1
                guard body(UnsafeBufferPointer(start: buffer + start, count: stop - start), number) else { return }
                start = stop + 1
                scan = start
            }
            if start == end {
                start = 0
                end = 0
            }
        }
    }
}
