import Foundation
import GRDB

/// One row of `alertIncident`: one incident of Vigie's own alerts (docs/notifications.md,
/// "Vigie's own alerts"), open while `resolvedAt` is nil. At most one incident per `key`
/// is open, so an incident alerts once when it opens and once when it is resolved, and a
/// restart finds it open instead of alerting again.
///
/// `firingSent` and `resolvedSent` say whether the alert of each state was handed to the
/// notifier: an incident opened (or resolved) just before a crash is sent after restart.
package struct AlertIncidentRecord: Sendable, Hashable, Codable {
    /// The two alerts of an incident.
    package enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case firing, resolved
    }

    package var id: Int64?
    /// What the incident is about, e.g. `session`, `loop:VIN:bundle/rule`, `channel:ops`.
    package var key: String
    /// The alert's kind (`session`, `command-failed`, `loop`, `flapping`, `budget`, …).
    package var kind: String
    package var vin: String?
    package var bundle: String?
    package var rule: String?
    package var title: String
    /// The firing alert's text.
    package var text: String
    package var openedAt: Date
    package var resolvedAt: Date?
    /// The resolved alert's text.
    package var resolvedText: String?
    package var firingSent: Bool
    package var resolvedSent: Bool

    package init(id: Int64? = nil, key: String, kind: String, vin: String? = nil, bundle: String? = nil,
                rule: String? = nil, title: String, text: String, openedAt: Date, resolvedAt: Date? = nil,
                resolvedText: String? = nil, firingSent: Bool = false, resolvedSent: Bool = false) {
        self.id = id
        self.key = key
        self.kind = kind
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
        self.title = title
        self.text = text
        self.openedAt = openedAt
        self.resolvedAt = resolvedAt
        self.resolvedText = resolvedText
        self.firingSent = firingSent
        self.resolvedSent = resolvedSent
    }

    package var isOpen: Bool { resolvedAt == nil }

    /// The states whose alert is due and not handed to the notifier yet, in order.
    package var unsent: [State] {
        var states: [State] = []
        if !firingSent { states.append(.firing) }
        if resolvedAt != nil, !resolvedSent { states.append(.resolved) }
        return states
    }
}

extension AlertIncidentRecord: FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "alertIncident"

    package enum Columns {
        package static let id = Column(CodingKeys.id)
        package static let key = Column(CodingKeys.key)
        package static let kind = Column(CodingKeys.kind)
        package static let openedAt = Column(CodingKeys.openedAt)
        package static let resolvedAt = Column(CodingKeys.resolvedAt)
        package static let resolvedText = Column(CodingKeys.resolvedText)
        package static let firingSent = Column(CodingKeys.firingSent)
        package static let resolvedSent = Column(CodingKeys.resolvedSent)
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
