/// The status of a callback (`CallbackStatus`).
public enum CallbackStatus: String, Sendable, Hashable, CaseIterable {
    case running = "Running", paused = "Paused", failed = "Failed"
}

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

/// The answer to creating or reading a callback (`CallbackRef`): `{callbackId, status}`.
public struct CallbackRef: Sendable, Hashable {
    public var callbackId: String
    public var status: OpenEnum<CallbackStatus>?
    public var links: HALLinks?

    public init(callbackId: String, status: CallbackStatus? = .running, links: HALLinks? = nil) {
        self.callbackId = callbackId
        self.status = status.map { .known($0) }
        self.links = links
    }
}

extension CallbackRef: Codable {
    enum CodingKeys: String, CodingKey { case callbackId, status, links = "_links" }
}

/// The body of `PUT …/callbacks/{cbid}/status` (`CallbacksStatusSetter`): `Running` or `Paused`.
public struct CallbackStatusSetter: Sendable, Hashable, Codable {
    public var status: OpenEnum<CallbackStatus>
    public init(status: CallbackStatus) { self.status = .known(status) }
}
