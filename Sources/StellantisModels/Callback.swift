/// A callback as listed or read back: B2C `UserCallback`, B2B `RemoteCallback`.
public struct Callback: Sendable, Hashable {
    public var id: String
    public var label: String?
    public var subscribe: CallbackSubscribe
    public var status: OpenEnum<CallbackStatus>
    public var links: HALLinks

    public init(id: String, label: String? = nil, subscribe: CallbackSubscribe, status: CallbackStatus,
                links: HALLinks = [:]) {
        self.id = id
        self.label = label
        self.subscribe = subscribe
        self.status = .known(status)
        self.links = links
    }
}

extension Callback: HALCollectionItem {
    public static var collectionKey: String { "callbacks" }
}

extension Callback: Codable {
    enum CodingKeys: String, CodingKey { case id, label, subscribe, status, links = "_links" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        label = try c.decodeIfPresent(String.self, forKey: .label)
        subscribe = try c.decode(CallbackSubscribe.self, forKey: .subscribe)
        status = try c.decodeIfPresent(OpenEnum<CallbackStatus>.self, forKey: .status) ?? .known(.running)
        links = try c.decodeIfPresent(HALLinks.self, forKey: .links) ?? [:]
    }
}
