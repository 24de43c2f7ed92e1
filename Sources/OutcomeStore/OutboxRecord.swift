import Foundation
import GRDB

/// One row of `outbox`: a remote command to send, in order per vehicle.
public struct OutboxRecord: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Waiting its turn.
        case queued
        /// Taken by the dispatcher; the vehicle's next command waits for it.
        case inFlight
        /// Finished (whatever the outcome, which the action row holds).
        case done
    }

    public var id: Int64?
    public var actionId: Int64
    public var vin: String
    /// The request body as POSTed (JSON).
    public var body: String
    public var status: Status
    /// Do not send before this instant (retry back-off).
    public var notBefore: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64? = nil, actionId: Int64, vin: String, body: String, status: Status = .queued,
                notBefore: Date? = nil, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.actionId = actionId
        self.vin = vin
        self.body = body
        self.status = status
        self.notBefore = notBefore
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension OutboxRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "outbox"
    public static let action = belongsTo(ActionRecord.self)

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let actionId = Column(CodingKeys.actionId)
        public static let vin = Column(CodingKeys.vin)
        public static let body = Column(CodingKeys.body)
        public static let status = Column(CodingKeys.status)
        public static let notBefore = Column(CodingKeys.notBefore)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let updatedAt = Column(CodingKeys.updatedAt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
