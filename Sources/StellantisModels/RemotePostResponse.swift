/// The answer to posting a remote (`RemotePostResponse`): `{remoteActionId, type}`.
public struct RemotePostResponse: Sendable, Hashable {
    public var remoteActionId: String
    public var type: OpenEnum<RemoteType>?
    public var links: HALLinks?

    public init(remoteActionId: String, type: RemoteType? = nil, links: HALLinks? = nil) {
        self.remoteActionId = remoteActionId
        self.type = type.map { .known($0) }
        self.links = links
    }
}

extension RemotePostResponse: Codable {
    enum CodingKeys: String, CodingKey { case remoteActionId, type, links = "_links" }
}
