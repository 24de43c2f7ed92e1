import Foundation
import GRDB

/// One row of `actionAttempt`: one try at sending a remote command.
public struct ActionAttemptRecord: Sendable, Hashable, Codable {
    public var id: Int64?
    public var actionId: Int64
    /// 1 for the first attempt.
    public var attempt: Int
    public var startedAt: Date
    public var finishedAt: Date?
    public var remoteActionId: String?
    public var httpStatus: Int?
    /// `accepted`, `rejected`, `error`, `succeeded`, `failed`, `timedOut`, … (free text).
    public var outcome: String
    public var failureCause: String?
    public var detail: String?

    public init(id: Int64? = nil, actionId: Int64, attempt: Int, startedAt: Date, finishedAt: Date? = nil,
                remoteActionId: String? = nil, httpStatus: Int? = nil, outcome: String,
                failureCause: String? = nil, detail: String? = nil) {
        self.id = id
        self.actionId = actionId
        self.attempt = attempt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.remoteActionId = remoteActionId
        self.httpStatus = httpStatus
        self.outcome = outcome
        self.failureCause = failureCause
        self.detail = detail
    }
}

extension ActionAttemptRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "actionAttempt"
    public static let action = belongsTo(ActionRecord.self)

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let actionId = Column(CodingKeys.actionId)
        public static let attempt = Column(CodingKeys.attempt)
        public static let startedAt = Column(CodingKeys.startedAt)
        public static let finishedAt = Column(CodingKeys.finishedAt)
        public static let remoteActionId = Column(CodingKeys.remoteActionId)
        public static let httpStatus = Column(CodingKeys.httpStatus)
        public static let outcome = Column(CodingKeys.outcome)
        public static let failureCause = Column(CodingKeys.failureCause)
        public static let detail = Column(CodingKeys.detail)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
