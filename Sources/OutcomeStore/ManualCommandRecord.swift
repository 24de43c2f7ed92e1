import Foundation
import VehicleData

/// A remote command someone asked for by hand — `vigie send VIN ACTION` or the console's
/// button — on its way into the outbox. It becomes a fired decision of bundle
/// `ManualCommandRecord.bundle` (rule: the action's name, `charge`, `doors`, …) with one
/// remote action and its outbox row, so the dispatcher sends it like a rule's command:
/// same pause, budgets, one-at-a-time per vehicle, reconciliation and outcome log.
package struct ManualCommandRequest: Sendable, Hashable {
    package var vin: String
    /// The action as the rule language writes it (`charge: start`), for the log.
    package var action: String
    /// The action's name (`charge`, `doors`, …): the decision's rule.
    package var name: String
    /// The request body as POSTed.
    package var body: JSONValue
    /// Who asked: the OS user (`vigie send`), the console session.
    package var requestedBy: String
    /// `cli` or `console`.
    package var via: String
    /// Refuse a VIN the database has never seen (no engine state, no decision).
    package var requireKnownVehicle: Bool

    package init(vin: String, action: String, name: String, body: JSONValue, requestedBy: String, via: String,
                requireKnownVehicle: Bool = true) {
        self.vin = vin
        self.action = action
        self.name = name
        self.body = body
        self.requestedBy = requestedBy
        self.via = via
        self.requireKnownVehicle = requireKnownVehicle
    }
}

/// One row of `manualCommand`: who asked for a manual command, joined to its decision.
package struct ManualCommandRecord: Sendable, Hashable {
    /// The bundle name of manual decisions.
    package static let bundle = "manual"

    package var firingId: Int64
    /// The action row the dispatcher follows.
    package var actionId: Int64
    package var vin: String
    package var action: String
    package var requestedBy: String
    package var via: String
    package var requestedAt: Date

    package init(firingId: Int64, actionId: Int64, vin: String, action: String, requestedBy: String, via: String,
                requestedAt: Date) {
        self.firingId = firingId
        self.actionId = actionId
        self.vin = vin
        self.action = action
        self.requestedBy = requestedBy
        self.via = via
        self.requestedAt = requestedAt
    }

    /// `{"action", "requestedBy", "via"}` (the `manual` key of `vigie log --format json`).
    package var jsonValue: JSONValue {
        .object(["action": .string(action), "requestedBy": .string(requestedBy), "via": .string(via)])
    }
}

/// A manual command the store refused.
package enum ManualCommandError: Error, Equatable, CustomStringConvertible {
    /// The VIN has no engine state and no decision in this database.
    case unknownVehicle(String)

    package var description: String {
        switch self {
        case .unknownVehicle(let vin):
            return "unknown vehicle \(vin): this database has no state and no decision for it"
        }
    }
}
