import Logging
import Synchronization

/// Keeps every record a test's loggers write, in memory, for the tests that check what was
/// logged — or that no secret was. Records are appended under a `Mutex`, so loggers may
/// write from any thread or task.
///
///     let capture = LogCapture()
///     let logger = capture.logger(label: "vigie.audit")
///     …
///     XCTAssertFalse(capture.text.contains(secret))
package final class LogCapture: Sendable {
    /// One record: level, logger label, message, metadata (the logger's merged with the
    /// call's, values as text) and the error passed along, if any.
    package struct Record: Sendable, CustomStringConvertible {
        package var level: Logger.Level
        package var label: String
        package var message: String
        package var metadata: [String: String]
        package var error: String?

        /// `level label: message key=value …` (keys sorted), then `error=…` when there is one.
        package var description: String {
            let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return (["\(level) \(label): \(message)"] + fields + (error.map { ["error=\($0)"] } ?? [])).joined(separator: " ")
        }
    }

    /// The handler a capturing logger uses: every record goes to `capture`.
    package struct Handler: LogHandler {
        package let capture: LogCapture
        package let label: String
        package var logLevel: Logger.Level = .trace
        package var metadata: Logger.Metadata = [:]

        package init(capture: LogCapture, label: String) {
            self.capture = capture
            self.label = label
        }

        package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        package func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { _, call in call }
            capture.append(Record(level: event.level, label: label, message: "\(event.message)",
                                  metadata: all.mapValues { "\($0)" }, error: event.error.map { "\($0)" }))
        }
    }

    private struct Stored {
        var records: [Record] = []
        var lines: [String] = []
    }

    private let stored = Mutex(Stored())

    package init() {}

    /// A logger at `level` whose records all come here.
    package func logger(label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { Handler(capture: self, label: $0) }
        logger.logLevel = level
        return logger
    }

    package func append(_ record: Record) {
        stored.withLock {
            $0.records.append(record)
            $0.lines.append(record.description)
        }
    }

    /// A line some other handler rendered (a formatter under test writing its output here).
    package func append(line: String) {
        stored.withLock { $0.lines.append(line) }
    }

    /// The records written through ``Handler``, in order.
    package var records: [Record] { stored.withLock { $0.records } }

    /// Every line, rendered records and appended lines alike, in order.
    package var lines: [String] { stored.withLock { $0.lines } }

    package var count: Int { stored.withLock { $0.lines.count } }

    /// Every line, joined by line breaks.
    package var text: String { lines.joined(separator: "\n") }
}
