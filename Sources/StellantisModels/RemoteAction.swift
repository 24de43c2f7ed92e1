/// A remote action with its current state, as listed or read back (`RemoteAction`).
public struct RemoteAction: Sendable, Hashable {
    public var remoteActionId: String
    public var type: OpenEnum<RemoteType>?
    public var status: OpenEnum<RemoteActionStatus>?
    public var remote: Remote?
    public var failureCause: OpenEnum<RemoteFailureCause>?
    public var feedbackDetail: OpenEnum<RemoteFeedbackDetail>?
    public var links: HALLinks

    public init(remoteActionId: String, type: RemoteType? = nil, status: RemoteActionStatus? = nil,
                remote: Remote? = nil, failureCause: RemoteFailureCause? = nil,
                feedbackDetail: RemoteFeedbackDetail? = nil, links: HALLinks = [:]) {
        self.remoteActionId = remoteActionId
        self.type = type.map { .known($0) }
        self.status = status.map { .known($0) }
        self.remote = remote
        self.failureCause = failureCause.map { .known($0) }
        self.feedbackDetail = feedbackDetail.map { .known($0) }
        self.links = links
    }
}

extension RemoteAction: HALCollectionItem {
    public static var collectionKey: String { "remoteActions" }
}

extension RemoteAction: Codable {
    enum CodingKeys: String, CodingKey {
        case remoteActionId, type, status, remote, failureCause, feedbackDetail, links = "_links"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        remoteActionId = try c.decode(String.self, forKey: .remoteActionId)
        type = try c.decodeIfPresent(OpenEnum<RemoteType>.self, forKey: .type)
        status = try c.decodeIfPresent(OpenEnum<RemoteActionStatus>.self, forKey: .status)
        // A body this build cannot read must not hide the action's state.
        remote = try? c.decodeIfPresent(Remote.self, forKey: .remote)
        failureCause = try c.decodeIfPresent(OpenEnum<RemoteFailureCause>.self, forKey: .failureCause)
        feedbackDetail = try c.decodeIfPresent(OpenEnum<RemoteFeedbackDetail>.self, forKey: .feedbackDetail)
        links = try c.decodeIfPresent(HALLinks.self, forKey: .links) ?? [:]
    }
}
