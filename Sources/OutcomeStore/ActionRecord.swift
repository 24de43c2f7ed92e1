import Foundation
import GRDB

/// One row of `action`: one action of a fired decision and what became of it.
package struct ActionRecord: Sendable, Hashable, Codable {
    package var id: Int64?
    package var firingId: Int64
    /// Index of the action in its decision's `actions` (0-based).
    package var position: Int
    /// `remote` or `notify`.
    package var kind: String
    package var vin: String
    /// Remote: the request body as POSTed, JSON. Notify: the rendered text.
    package var payload: String
    /// An `ActionStatus` raw value.
    package var status: String
    package var attempts: Int
    package var remoteActionId: String?
    package var failureCause: String?
    package var createdAt: Date
    package var updatedAt: Date
    package var sentAt: Date?
    package var doneAt: Date?

    package init(id: Int64? = nil, firingId: Int64, position: Int, kind: String, vin: String, payload: String,
                status: ActionStatus, attempts: Int = 0, remoteActionId: String? = nil,
                failureCause: String? = nil, createdAt: Date, updatedAt: Date,
                sentAt: Date? = nil, doneAt: Date? = nil) {
        self.id = id
        self.firingId = firingId
        self.position = position
        self.kind = kind
        self.vin = vin
        self.payload = payload
        self.status = status.rawValue
        self.attempts = attempts
        self.remoteActionId = remoteActionId
        self.failureCause = failureCause
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.sentAt = sentAt
        self.doneAt = doneAt
    }

    /// The status as a value (nil for a status written by a newer version).
    package var actionStatus: ActionStatus? { ActionStatus(rawValue: status) }
}

extension ActionRecord: FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "action"
    package static let firing = belongsTo(FiringRecord.self)
    package static let attemptRecords = hasMany(ActionAttemptRecord.self).forKey("attemptRecords")

    package enum Columns {
        package static let id = Column(CodingKeys.id)
        package static let firingId = Column(CodingKeys.firingId)
        package static let position = Column(CodingKeys.position)
        package static let kind = Column(CodingKeys.kind)
        package static let vin = Column(CodingKeys.vin)
        package static let payload = Column(CodingKeys.payload)
        package static let status = Column(CodingKeys.status)
        package static let attempts = Column(CodingKeys.attempts)
        package static let remoteActionId = Column(CodingKeys.remoteActionId)
        package static let failureCause = Column(CodingKeys.failureCause)
        package static let createdAt = Column(CodingKeys.createdAt)
        package static let updatedAt = Column(CodingKeys.updatedAt)
        package static let sentAt = Column(CodingKeys.sentAt)
        package static let doneAt = Column(CodingKeys.doneAt)
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
