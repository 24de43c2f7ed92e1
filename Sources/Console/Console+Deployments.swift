import Foundation
import Hummingbird
import OutcomeStore

/// Deployments: the monitors `vigie apply` (or `vigie demo`) left deployed, per vehicle,
/// with the rules each serves (`deployedMonitor`, recorded by the apply). 200 monitors a
/// page, by vehicle then label; `?vin=` shows one vehicle's.
extension Console {
    static let deploymentPageSize = 200

    func deployments(_ request: Request, _ access: Access) async throws -> Response {
        let query = Self.query(request)
        let vin = query["vin"].flatMap { $0.isEmpty ? nil : $0 }
        let summary = try await source.database.deploymentSummary(vin: vin)
        let pager = Pager(total: summary.monitors, size: Self.deploymentPageSize, page: Int(query["page"] ?? "") ?? 1)
        let monitors = try await source.database.deployedMonitors(vin: vin, offset: pager.offset, limit: pager.size)
        var data: [String: Any] = [
            "monitors": monitors.map(Self.monitorData), "filterVin": vin ?? "", "count": summary.monitors,
            "vehicles": summary.vehicles, "latest": summary.latest.map(ConsoleFormat.instant) ?? "never",
        ]
        data["pager"] = pager.data(path: "/console/deployments", query: vin.map { ["vin": $0] } ?? [:], noun: "monitors")
        return render(title: "Deployments", template: "deployments", data, access: access)
    }

    static func monitorData(_ m: DeployedMonitorRecord) -> [String: Any] {
        var out: [String: Any] = [
            "monitorId": m.monitorId, "label": m.label, "deployedAt": ConsoleFormat.instant(m.deployedAt),
            "rules": m.rules.map { key -> [String: Any] in
                let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
                var rule: [String: Any] = ["key": key]
                if parts.count == 2 {
                    var link = "/console/rules?bundle=\(ConsoleForm.encode(parts[0]))&rule=\(ConsoleForm.encode(parts[1]))"
                    if let vin = m.vin { link += "&vin=\(ConsoleForm.encode(vin))" }
                    rule["link"] = link
                }
                return rule
            },
        ]
        if let vin = m.vin { out["vin"] = vin }
        if let fleet = m.fleet { out["fleet"] = fleet }
        return out
    }
}
