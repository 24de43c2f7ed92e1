import Foundation
import GRDB

/// One row of `action`: one action of a fired decision and what became of it.
public struct ActionRecord: Sendable, Hashable, Codable {
    public var id: Int64?
    public var firingId: Int64
    /// Index of the action in its decision's `actions` (0-based).
    public var position: Int
    /// `remote` or `notify`.
    public var kind: String
    public var vin: String
    /// Remote: the request body as POSTed, JSON. Notify: the rendered text.
    public var payload: String
    /// An `ActionStatus` raw value.
    public var status: String
    public var attempts: Int
    public var remoteActionId: String?
    public var failureCause: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var sentAt: Date?
    public var doneAt: Date?

    public init(id: Int64? = nil, firingId: Int64, position: Int, kind: String, vin: String, payload: String,
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
    public var actionStatus: ActionStatus? { ActionStatus(rawValue: status) }
}

extension ActionRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "action"
    public static let firing = belongsTo(FiringRecord.self)
    public static let attemptRecords = hasMany(ActionAttemptRecord.self).forKey("attemptRecords")

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let firingId = Column(CodingKeys.firingId)
        public static let position = Column(CodingKeys.position)
        public static let kind = Column(CodingKeys.kind)
        public static let vin = Column(CodingKeys.vin)
        public static let payload = Column(CodingKeys.payload)
        public static let status = Column(CodingKeys.status)
        public static let attempts = Column(CodingKeys.attempts)
        public static let remoteActionId = Column(CodingKeys.remoteActionId)
        public static let failureCause = Column(CodingKeys.failureCause)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let updatedAt = Column(CodingKeys.updatedAt)
        public static let sentAt = Column(CodingKeys.sentAt)
        public static let doneAt = Column(CodingKeys.doneAt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
