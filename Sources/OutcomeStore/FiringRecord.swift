import Foundation
import GRDB

/// One row of `firing`: a decision of the engine, fired or suppressed.
package struct FiringRecord: Sendable, Hashable, Codable {
    package var id: Int64?
    package var at: Date
    package var vin: String
    package var bundle: String
    package var rule: String
    /// `fired` or `suppressed`.
    package var event: String
    /// `cooldown`, `max_per_day`, … for a suppression; nil when fired.
    package var reason: String?
    /// The actions as a JSON array, exactly as `vigie dry-run --format json` prints them.
    package var actions: String
    package var inboxId: Int64?
    package var recordedAt: Date

    package init(id: Int64? = nil, at: Date, vin: String, bundle: String, rule: String, event: String,
                reason: String?, actions: String, inboxId: Int64?, recordedAt: Date) {
        self.id = id
        self.at = at
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
        self.event = event
        self.reason = reason
        self.actions = actions
        self.inboxId = inboxId
        self.recordedAt = recordedAt
    }
}

extension FiringRecord: FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "firing"
    package static let actionRecords = hasMany(ActionRecord.self).forKey("actionRecords")

    package enum Columns {
        package static let id = Column(CodingKeys.id)
        package static let at = Column(CodingKeys.at)
        package static let vin = Column(CodingKeys.vin)
        package static let bundle = Column(CodingKeys.bundle)
        package static let rule = Column(CodingKeys.rule)
        package static let event = Column(CodingKeys.event)
        package static let reason = Column(CodingKeys.reason)
        package static let actions = Column(CodingKeys.actions)
        package static let inboxId = Column(CodingKeys.inboxId)
        package static let recordedAt = Column(CodingKeys.recordedAt)
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
