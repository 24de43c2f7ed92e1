/// `MonitorStatus`: `Running | Paused | Failed` (the prose's `Created` is not in the schema).
public enum MonitorStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case running = "Running", paused = "Paused", failed = "Failed"
}

/// A HAL link (`{href}`) as monitors carry them in `_links`.
public struct MonitorLink: Sendable, Hashable, Codable {
    public var href: String
    public var templated: Bool?
    public init(href: String, templated: Bool? = nil) {
        self.href = href
        self.templated = templated
    }
}

/// The answer to a monitor creation (202): `MonitorRef`. Dates are RFC 3339 strings,
/// kept as sent.
public struct MonitorRef: Sendable, Hashable {
    public struct Links: Sendable, Hashable, Codable {
        public var monitor: MonitorLink?
        /// B2B only.
        public var fleet: MonitorLink?
        public init(monitor: MonitorLink? = nil, fleet: MonitorLink? = nil) {
            self.monitor = monitor
            self.fleet = fleet
        }
    }
    public var monitorId: String
    public var status: MonitorStatus
    public var createdAt: String
    public var updatedAt: String
    public var links: Links?

    public init(monitorId: String, status: MonitorStatus, createdAt: String, updatedAt: String, links: Links? = nil) {
        self.monitorId = monitorId
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.links = links
    }
}

extension MonitorRef: Codable {
    enum CodingKeys: String, CodingKey {
        case monitorId, status, createdAt, updatedAt
        case links = "_links"
    }
}
