import Foundation
import GRDB

/// One row of `controlEvent`: the guardrails' journal (docs/safety.md).
public struct ControlEventRecord: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A `pause` or `config` hold began.
        case paused
        /// A hold (pause, config or loop) was lifted.
        case resumed
        /// A rule began to flap on a vehicle: its firings are held back.
        case flapStarted
        /// The rule has been quiet for a full window: it fires again.
        case flapEnded
        /// A rule fired in a loop on a vehicle and was stopped.
        case loopStopped
        /// A vehicle's daily command or wake-up budget is spent (reported by the dispatcher).
        case budgetStopped
    }

    public var id: Int64?
    /// When it happened (for flapping, the instant the hold began or ended by the rule's data).
    public var at: Date
    public var kind: Kind
    public var vin: String?
    public var bundle: String?
    public var rule: String?
    /// The `controlHold` row concerned, if any.
    public var holdId: Int64?
    public var detail: String?

    public init(id: Int64? = nil, at: Date, kind: Kind, vin: String? = nil, bundle: String? = nil,
                rule: String? = nil, holdId: Int64? = nil, detail: String? = nil) {
        self.id = id
        self.at = at
        self.kind = kind
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
        self.holdId = holdId
        self.detail = detail
    }
}

extension ControlEventRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "controlEvent"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let at = Column(CodingKeys.at)
        public static let kind = Column(CodingKeys.kind)
        public static let vin = Column(CodingKeys.vin)
        public static let bundle = Column(CodingKeys.bundle)
        public static let rule = Column(CodingKeys.rule)
        public static let holdId = Column(CodingKeys.holdId)
        public static let detail = Column(CodingKeys.detail)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
