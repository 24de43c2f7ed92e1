import Foundation
import GRDB

/// One row of `firing`: a decision of the engine, fired or suppressed.
public struct FiringRecord: Sendable, Hashable, Codable {
    public var id: Int64?
    public var at: Date
    public var vin: String
    public var bundle: String
    public var rule: String
    /// `fired` or `suppressed`.
    public var event: String
    /// `cooldown`, `max_per_day`, … for a suppression; nil when fired.
    public var reason: String?
    /// The actions as a JSON array, exactly as `vigie dry-run --format json` prints them.
    public var actions: String
    public var inboxId: Int64?
    public var recordedAt: Date

    public init(id: Int64? = nil, at: Date, vin: String, bundle: String, rule: String, event: String,
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
    public static let databaseTableName = "firing"
    public static let actionRecords = hasMany(ActionRecord.self).forKey("actionRecords")

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let at = Column(CodingKeys.at)
        public static let vin = Column(CodingKeys.vin)
        public static let bundle = Column(CodingKeys.bundle)
        public static let rule = Column(CodingKeys.rule)
        public static let event = Column(CodingKeys.event)
        public static let reason = Column(CodingKeys.reason)
        public static let actions = Column(CodingKeys.actions)
        public static let inboxId = Column(CodingKeys.inboxId)
        public static let recordedAt = Column(CodingKeys.recordedAt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
