import Foundation
import VehicleData

/// A remote command someone asked for by hand — `vigie send VIN ACTION` or the console's
/// button — on its way into the outbox. It becomes a fired decision of bundle
/// `ManualCommandRecord.bundle` (rule: the action's name, `charge`, `doors`, …) with one
/// remote action and its outbox row, so the dispatcher sends it like a rule's command:
/// same pause, budgets, one-at-a-time per vehicle, reconciliation and outcome log.
public struct ManualCommandRequest: Sendable, Hashable {
    public var vin: String
    /// The action as the rule language writes it (`charge: start`), for the log.
    public var action: String
    /// The action's name (`charge`, `doors`, …): the decision's rule.
    public var name: String
    /// The request body as POSTed.
    public var body: JSONValue
    /// Who asked: the OS user (`vigie send`), the console session.
    public var requestedBy: String
    /// `cli` or `console`.
    public var via: String
    /// Refuse a VIN the database has never seen (no engine state, no decision).
    public var requireKnownVehicle: Bool

    public init(vin: String, action: String, name: String, body: JSONValue, requestedBy: String, via: String,
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
public struct ManualCommandRecord: Sendable, Hashable {
    /// The bundle name of manual decisions.
    public static let bundle = "manual"

    public var firingId: Int64
    /// The action row the dispatcher follows.
    public var actionId: Int64
    public var vin: String
    public var action: String
    public var requestedBy: String
    public var via: String
    public var requestedAt: Date

    public init(firingId: Int64, actionId: Int64, vin: String, action: String, requestedBy: String, via: String,
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
    public var jsonValue: JSONValue {
        .object(["action": .string(action), "requestedBy": .string(requestedBy), "via": .string(via)])
    }
}

/// A manual command the store refused.
public enum ManualCommandError: Error, Equatable, CustomStringConvertible {
    /// The VIN has no engine state and no decision in this database.
    case unknownVehicle(String)

    public var description: String {
        switch self {
        case .unknownVehicle(let vin):
            return "unknown vehicle \(vin): this database has no state and no decision for it"
        }
    }
}
