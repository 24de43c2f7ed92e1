import Foundation

/// Which decisions `vigie log` shows. Every criterion given must hold.
package struct LogFilter: Sendable, Hashable {
    package var vin: String?
    package var rule: String?
    package var bundle: String?
    /// Decisions at or after this instant.
    package var since: Date?
    /// Decisions strictly before this instant.
    package var until: Date?
    /// Keep only the most recent `limit` decisions (still printed oldest first).
    package var limit: Int?

    package init(vin: String? = nil, rule: String? = nil, bundle: String? = nil, since: Date? = nil,
                until: Date? = nil, limit: Int? = nil) {
        self.vin = vin
        self.rule = rule
        self.bundle = bundle
        self.since = since
        self.until = until
        self.limit = limit
    }
}
