import Foundation
import Logging
import VehicleData

/// A swift-log handler writing one machine-readable line per record, as JSON or logfmt
/// (`--log-format json|logfmt`, docs/production.md).
///
/// Every metadata field becomes a field of its own. A `rule` field holding the qualified
/// id `bundle/rule` (as the runtime attaches it) also gives a `bundle` field. Values are
/// escaped so that one record is always one line, whatever a notification carried
/// (a rule's `notify` text, a vehicle's status): a line break in a value cannot forge a
/// second record. Secrets reach a handler only as `Secret`, which renders `<redacted>`.
package struct StructuredLogHandler: LogHandler {
    package let label: String
    package let format: LogFormat
    package var logLevel: Logger.Level = .info
    package var metadata: Logger.Metadata = [:]
    private let write: @Sendable (String) -> Void
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - write: receives each line, without its line break.
    ///   - now: the clock of the `time` field.
    package init(label: String, format: LogFormat, now: @escaping @Sendable () -> Date = { Date() },
                write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.format = format
        self.now = now
        self.write = write
    }

    /// A handler writing to standard error (one `write(2)` per line).
    package static func standardError(label: String, format: LogFormat) -> StructuredLogHandler {
        StructuredLogHandler(label: label, format: format) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?,
                    source: String, file: String, function: String, line: UInt) {
        write(render(level: level, message: message.description, metadata: extra))
    }

    /// The line for one record (public for tests and benchmarks).
    package func render(level: Logger.Level, message: String, metadata extra: Logger.Metadata?) -> String {
        var fields = metadata
        if let extra { fields.merge(extra) { _, new in new } }
        if fields["bundle"] == nil, case .string(let rule)? = fields["rule"], let slash = rule.firstIndex(of: "/") {
            fields["bundle"] = .string(String(rule[..<slash]))
        }
        let fixed: [(String, Logger.Metadata.Value)] = [
            ("time", .string(RFC3339Time.formatUTC(now(), fraction: .always))), ("level", .string(level.rawValue)),
            ("logger", .string(label)), ("message", .string(message)),
        ]
        var all: [(String, Logger.Metadata.Value)] = fixed
        for (key, value) in fields {
            all.append((Self.reserved.contains(key) ? "meta." + key : key, value))
        }
        switch format {
        case .json:
            all.sort { $0.0 < $1.0 }
            return "{" + all.map { LogEscaping.json($0.0) + ":" + LogEscaping.json(value: $0.1) }.joined(separator: ",") + "}"
        case .logfmt, .text:
            let ordered = fixed + all.dropFirst(fixed.count).sorted { $0.0 < $1.0 }
            return ordered.map { LogEscaping.logfmtKey($0.0) + "=" + LogEscaping.logfmt(LogEscaping.plain($0.1)) }
                .joined(separator: " ")
        }
    }

    private static let reserved: Set<String> = ["time", "level", "logger", "message"]
}
