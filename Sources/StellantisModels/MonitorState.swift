/// A deployed monitor as `GET .../monitors[/{mid}]` returns it (schema `Monitor`).
public struct MonitorState: Sendable, Hashable {
    public struct Links: Sendable, Hashable, Codable {
        public var `self`: MonitorLink
        /// B2B only.
        public var fleet: MonitorLink?
        public init(self link: MonitorLink, fleet: MonitorLink? = nil) {
            self.`self` = link
            self.fleet = fleet
        }
    }
    public var monitorId: String
    public var monitor: MonitorParameter
    public var status: MonitorStatus
    public var createdAt: String
    public var updatedAt: String
    public var links: Links

    public init(monitorId: String, monitor: MonitorParameter, status: MonitorStatus, createdAt: String,
                updatedAt: String, links: Links) {
        self.monitorId = monitorId
        self.monitor = monitor
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.links = links
    }
}

/// Body of `PUT .../monitors/{mid}/status`: `Running` or `Paused`.
public struct MonitorStatusSetter: Sendable, Hashable, Codable {
    public var status: MonitorStatus
    public init(status: MonitorStatus) { self.status = status }
}

extension MonitorState: Codable {
    enum CodingKeys: String, CodingKey {
        case monitorId, monitor, status, createdAt, updatedAt
        case links = "_links"
    }
}
