/// What the API POSTs to a B2B callback (api-b2b-webhook-template-v3.yaml):
/// `MonitorEvents` on `/monitors/webhook` and `RemoteEvents` on `/remote/webhook`.
public struct FleetMonitorEvents: Sendable, Hashable, Codable {
    public var monitorId: String?
    public var attributes: [BodyAttribute]?
    public var events: [MessageMonitorEvent]

    public init(monitorId: String?, attributes: [BodyAttribute]? = nil, events: [MessageMonitorEvent]) {
        self.monitorId = monitorId
        self.attributes = attributes
        self.events = events
    }
}
