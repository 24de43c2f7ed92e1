import Foundation
import GRDB

/// One row of `outbox`: a remote command to send, in order per vehicle.
package struct OutboxRecord: Sendable, Hashable, Codable {
    package enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Waiting its turn.
        case queued
        /// Taken by the dispatcher; the vehicle's next command waits for it.
        case inFlight
        /// Finished (whatever the outcome, which the action row holds).
        case done
    }

    package var id: Int64?
    package var actionId: Int64
    package var vin: String
    /// The request body as POSTed (JSON).
    package var body: String
    package var status: Status
    /// Do not send before this instant (retry back-off).
    package var notBefore: Date?
    package var createdAt: Date
    package var updatedAt: Date

    package init(id: Int64? = nil, actionId: Int64, vin: String, body: String, status: Status = .queued,
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
    package static let databaseTableName = "outbox"
    package static let action = belongsTo(ActionRecord.self)

    package enum Columns {
        package static let id = Column(CodingKeys.id)
        package static let actionId = Column(CodingKeys.actionId)
        package static let vin = Column(CodingKeys.vin)
        package static let body = Column(CodingKeys.body)
        package static let status = Column(CodingKeys.status)
        package static let notBefore = Column(CodingKeys.notBefore)
        package static let createdAt = Column(CodingKeys.createdAt)
        package static let updatedAt = Column(CodingKeys.updatedAt)
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
