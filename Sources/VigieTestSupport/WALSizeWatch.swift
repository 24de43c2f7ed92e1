import Foundation
import Synchronization

/// The largest size a SQLite WAL file had when looked at: after each commit (`note()`),
/// and every millisecond while `sample()` runs. For the tests of the WAL's size limit.
package final class WALSizeWatch: Sendable {
    private let path: String
    private let max = Mutex(0)

    /// Watches the file at `path` (the database's path + `-wal`).
    package init(path: String) { self.path = path }

    /// The largest size noted so far, in bytes.
    package var largest: Int { max.withLock { $0 } }

    /// Notes the file's size now.
    package func note() {
        let size = Self.size(of: path)
        max.withLock { $0 = Swift.max($0, size) }
    }

    /// Notes the size every millisecond until the task is cancelled.
    package func sample() async {
        while !Task.isCancelled {
            note()
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    /// The size of the file at `path` in bytes (0 when there is none).
    package static func size(of path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.intValue ?? 0
    }
}
