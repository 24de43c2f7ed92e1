import Foundation
import GRDB

/// One row of `actionAttempt`: one try at sending a remote command.
package struct ActionAttemptRecord: Sendable, Hashable, Codable {
    package var id: Int64?
    package var actionId: Int64
    /// 1 for the first attempt.
    package var attempt: Int
    package var startedAt: Date
    package var finishedAt: Date?
    package var remoteActionId: String?
    package var httpStatus: Int?
    /// `accepted`, `rejected`, `error`, `succeeded`, `failed`, `timedOut`, … (free text).
    package var outcome: String
    package var failureCause: String?
    package var detail: String?

    package init(id: Int64? = nil, actionId: Int64, attempt: Int, startedAt: Date, finishedAt: Date? = nil,
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
    package static let databaseTableName = "actionAttempt"
    package static let action = belongsTo(ActionRecord.self)

    package enum Columns {
        package static let id = Column(CodingKeys.id)
        package static let actionId = Column(CodingKeys.actionId)
        package static let attempt = Column(CodingKeys.attempt)
        package static let startedAt = Column(CodingKeys.startedAt)
        package static let finishedAt = Column(CodingKeys.finishedAt)
        package static let remoteActionId = Column(CodingKeys.remoteActionId)
        package static let httpStatus = Column(CodingKeys.httpStatus)
        package static let outcome = Column(CodingKeys.outcome)
        package static let failureCause = Column(CodingKeys.failureCause)
        package static let detail = Column(CodingKeys.detail)
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
