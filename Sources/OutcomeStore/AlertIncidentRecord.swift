import Foundation
import GRDB

/// One row of `alertIncident`: one incident of Vigie's own alerts (docs/notifications.md,
/// "Vigie's own alerts"), open while `resolvedAt` is nil. At most one incident per `key`
/// is open, so an incident alerts once when it opens and once when it is resolved, and a
/// restart finds it open instead of alerting again.
///
/// `firingSent` and `resolvedSent` say whether the alert of each state was handed to the
/// notifier: an incident opened (or resolved) just before a crash is sent after restart.
public struct AlertIncidentRecord: Sendable, Hashable, Codable {
    /// The two alerts of an incident.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case firing, resolved
    }

    public var id: Int64?
    /// What the incident is about, e.g. `session`, `loop:VIN:bundle/rule`, `channel:ops`.
    public var key: String
    /// The alert's kind (`session`, `command-failed`, `loop`, `flapping`, `budget`, …).
    public var kind: String
    public var vin: String?
    public var bundle: String?
    public var rule: String?
    public var title: String
    /// The firing alert's text.
    public var text: String
    public var openedAt: Date
    public var resolvedAt: Date?
    /// The resolved alert's text.
    public var resolvedText: String?
    public var firingSent: Bool
    public var resolvedSent: Bool

    public init(id: Int64? = nil, key: String, kind: String, vin: String? = nil, bundle: String? = nil,
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

    public var isOpen: Bool { resolvedAt == nil }

    /// The states whose alert is due and not handed to the notifier yet, in order.
    public var unsent: [State] {
        var states: [State] = []
        if !firingSent { states.append(.firing) }
        if resolvedAt != nil, !resolvedSent { states.append(.resolved) }
        return states
    }
}

extension AlertIncidentRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "alertIncident"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let key = Column(CodingKeys.key)
        public static let kind = Column(CodingKeys.kind)
        public static let openedAt = Column(CodingKeys.openedAt)
        public static let resolvedAt = Column(CodingKeys.resolvedAt)
        public static let resolvedText = Column(CodingKeys.resolvedText)
        public static let firingSent = Column(CodingKeys.firingSent)
        public static let resolvedSent = Column(CodingKeys.resolvedSent)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
