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
