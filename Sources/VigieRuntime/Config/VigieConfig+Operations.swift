import Yams

extension VigieConfig {
    /// The names `log_format:` accepts.
    package static let logFormats = ["text", "json", "logfmt"]

    /// `log_format: text | json | logfmt`.
    mutating func readLogFormat(_ node: Node, _ r: inout ConfigReader) {
        guard let text = r.string(node, "log_format") else { return }
        if Self.logFormats.contains(text.lowercased()) { logFormat = text.lowercased() }
        else { r.fail(node, "log_format must be one of \(Self.logFormats.joined(separator: ", ")), not `\(text)`") }
    }

    /// `retention: {inbox, decisions, attempts, interval}`: durations of at least 2d
    /// (the interval: at least 1m).
    mutating func readRetention(_ node: Node, _ r: inout ConfigReader) {
        guard let map = r.mapping(node, "retention", allowed: ["inbox", "decisions", "attempts", "interval"]) else { return }
        func limit(_ key: String) -> Double? {
            guard let n = map[key], let seconds = r.duration(n, "retention.\(key)") else { return nil }
            guard seconds >= Retention.minimum else {
                r.fail(n, "retention.\(key) must be at least 2d (daily budgets and redelivered notifications look back a day)")
                return nil
            }
            return seconds
        }
        retention.inbox = limit("inbox")
        retention.decisions = limit("decisions")
        retention.attempts = limit("attempts")
        if let n = map["interval"], let seconds = r.duration(n, "retention.interval") {
            if seconds >= 60 { retention.interval = seconds } else { r.fail(n, "retention.interval must be at least 1m") }
        }
    }
}
