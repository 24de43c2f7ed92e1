import Foundation
import GRDB

/// One row of `controlEvent`: the guardrails' journal (docs/safety.md).
package struct ControlEventRecord: Sendable, Hashable, Codable {
    package enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
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

    package var id: Int64?
    /// When it happened (for flapping, the instant the hold began or ended by the rule's data).
    package var at: Date
    package var kind: Kind
    package var vin: String?
    package var bundle: String?
    package var rule: String?
    /// The `controlHold` row concerned, if any.
    package var holdId: Int64?
    package var detail: String?

    package init(id: Int64? = nil, at: Date, kind: Kind, vin: String? = nil, bundle: String? = nil,
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
    package static let databaseTableName = "controlEvent"

    package enum Columns {
        package static let id = Column(CodingKeys.id)
        package static let at = Column(CodingKeys.at)
        package static let kind = Column(CodingKeys.kind)
        package static let vin = Column(CodingKeys.vin)
        package static let bundle = Column(CodingKeys.bundle)
        package static let rule = Column(CodingKeys.rule)
        package static let holdId = Column(CodingKeys.holdId)
        package static let detail = Column(CodingKeys.detail)
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
