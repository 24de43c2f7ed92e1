/// `RemoteEvents` of the B2B webhook template.
public struct FleetRemoteEvents: Sendable, Hashable, Codable {
    public var callbackId: String?
    public var attributes: [BodyAttribute]?
    public var events: [MessageRemoteEvent]

    public init(callbackId: String?, attributes: [BodyAttribute]? = nil, events: [MessageRemoteEvent]) {
        self.callbackId = callbackId
        self.attributes = attributes
        self.events = events
    }
}
