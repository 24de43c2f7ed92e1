import Foundation

/// Which decisions `vigie log` shows. Every criterion given must hold.
public struct LogFilter: Sendable, Hashable {
    public var vin: String?
    public var rule: String?
    public var bundle: String?
    /// Decisions at or after this instant.
    public var since: Date?
    /// Decisions strictly before this instant.
    public var until: Date?
    /// Keep only the most recent `limit` decisions (still printed oldest first).
    public var limit: Int?

    public init(vin: String? = nil, rule: String? = nil, bundle: String? = nil, since: Date? = nil,
                until: Date? = nil, limit: Int? = nil) {
        self.vin = vin
        self.rule = rule
        self.bundle = bundle
        self.since = since
        self.until = until
        self.limit = limit
    }
}
