import Foundation
import VehicleData

/// One monitor `vigie apply` (or `vigie demo`) left deployed: where it lives, its id at
/// the API, its label and the rules it serves. The store keeps the last deployment whole
/// (`replaceDeployment`), for the console's Deployments page.
public struct DeployedMonitorRecord: Sendable, Hashable {
    /// The vehicle (B2C), nil for a fleet monitor.
    public var vin: String?
    /// The fleet (B2B), nil for a vehicle's monitor.
    public var fleet: String?
    /// The API's monitor id.
    public var monitorId: String
    /// The label Vigie wrote (`vigie:<rules>:<hash>`).
    public var label: String
    /// The `bundle/rule` keys the monitor serves.
    public var rules: [String]
    /// When this monitor, with this label, was first deployed (kept across applies that
    /// leave it unchanged).
    public var deployedAt: Date

    public init(vin: String?, fleet: String?, monitorId: String, label: String, rules: [String], deployedAt: Date) {
        self.vin = vin
        self.fleet = fleet
        self.monitorId = monitorId
        self.label = label
        self.rules = rules
        self.deployedAt = deployedAt
    }

    /// `rules` as stored: a JSON array of strings.
    public var rulesJSON: String { StoreJSON.string(.array(rules.map(JSONValue.string))) }

    static func rules(fromJSON text: String) -> [String] {
        (StoreJSON.parse(text)?.arrayValue ?? []).compactMap(\.stringValue)
    }
}
