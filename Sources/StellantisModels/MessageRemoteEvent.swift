/// `remoteEvent` of a webhook message (`RemoteEvent`): the progress of a remote action.
/// The B2B template's `RemoteEvent` adds `vin` and `eventDate`.
public struct MessageRemoteEvent: Sendable, Hashable {
    /// `eventStatus`: `type: Pending` with an intermediate status, then `type: Done` with
    /// `Success | AlreadyDone | Failed` and, when failed, a `failureCause`.
    public struct EventStatus: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, CaseIterable { case pending = "Pending", done = "Done" }

        public var type: OpenEnum<Kind>
        public var status: OpenEnum<RemoteActionStatus>
        public var failureCause: OpenEnum<RemoteFailureCause>?
        public var feedbackDetail: OpenEnum<RemoteFeedbackDetail>?

        public init(type: Kind, status: RemoteActionStatus, failureCause: RemoteFailureCause? = nil,
                    feedbackDetail: RemoteFeedbackDetail? = nil) {
            self.type = .known(type)
            self.status = .known(status)
            self.failureCause = failureCause.map { .known($0) }
            self.feedbackDetail = feedbackDetail.map { .known($0) }
        }

        public init(type: OpenEnum<Kind>, status: OpenEnum<RemoteActionStatus>,
                    failureCause: OpenEnum<RemoteFailureCause>? = nil, feedbackDetail: OpenEnum<RemoteFeedbackDetail>? = nil) {
            self.type = type
            self.status = status
            self.failureCause = failureCause
            self.feedbackDetail = feedbackDetail
        }

        /// A Done event (also recognised by a Done status when `type` is unknown).
        public var isDone: Bool { type == .done || (type.known == nil && (status.known?.isDone ?? false)) }
    }

    public var remoteActionId: String?
    public var remoteType: OpenEnum<RemoteType>?
    public var eventStatus: EventStatus?
    // B2B only.
    public var vin: String?
    public var eventDate: String?

    public init(remoteActionId: String?, remoteType: RemoteType?, eventStatus: EventStatus?,
                vin: String? = nil, eventDate: String? = nil) {
        self.remoteActionId = remoteActionId
        self.remoteType = remoteType.map { .known($0) }
        self.eventStatus = eventStatus
        self.vin = vin
        self.eventDate = eventDate
    }
}

extension MessageRemoteEvent: Codable {}
