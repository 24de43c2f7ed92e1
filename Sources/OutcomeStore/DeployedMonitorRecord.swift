import Foundation
import VehicleData

/// One monitor `vigie apply` (or `vigie demo`) left deployed: where it lives, its id at
/// the API, its label and the rules it serves. The store keeps the last deployment whole
/// (`replaceDeployment`), for the console's Deployments page.
package struct DeployedMonitorRecord: Sendable, Hashable {
    /// The vehicle (B2C), nil for a fleet monitor.
    package var vin: String?
    /// The fleet (B2B), nil for a vehicle's monitor.
    package var fleet: String?
    /// The API's monitor id.
    package var monitorId: String
    /// The label Vigie wrote (`vigie:<rules>:<hash>`).
    package var label: String
    /// The `bundle/rule` keys the monitor serves.
    package var rules: [String]
    /// When this monitor, with this label, was first deployed (kept across applies that
    /// leave it unchanged).
    package var deployedAt: Date

    package init(vin: String?, fleet: String?, monitorId: String, label: String, rules: [String], deployedAt: Date) {
        self.vin = vin
        self.fleet = fleet
        self.monitorId = monitorId
        self.label = label
        self.rules = rules
        self.deployedAt = deployedAt
    }

    /// `rules` as stored: a JSON array of strings.
    package var rulesJSON: String { StoreJSON.string(.array(rules.map(JSONValue.string))) }

    static func rules(fromJSON text: String) -> [String] {
        (StoreJSON.parse(text)?.arrayValue ?? []).compactMap(\.stringValue)
    }
}
