import Foundation
import OutcomeStore

// The deployment's checks (what `vigie apply` leaves deployed, for the console).
extension RuntimeStoreConformance {
    private typealias C = RuntimeStoreConformance

    /// A deployment replaces the previous one whole; an unchanged monitor keeps its
    /// `deployedAt`; monitors come back by vehicle (fleet ones first) then label, paged and
    /// filtered by vehicle.
    @Sendable func deploymentReplacedWhole(_ store: any RuntimeStore) async throws {
        func monitor(_ id: String, vin: String?, fleet: String? = nil, label: String, rules: [String]) -> DeployedMonitorRecord {
            DeployedMonitorRecord(vin: vin, fleet: fleet, monitorId: id, label: label, rules: rules, deployedAt: C.at(0))
        }
        try expectEqual(try await store.deployedMonitors(vin: nil, offset: 0, limit: 10), [], "a new store")
        try await store.replaceDeployment([
            monitor("m2", vin: "V2", label: "vigie:b/r:1", rules: ["b/r"]),
            monitor("m1", vin: "V1", label: "vigie:b/q,b/r:2", rules: ["b/q", "b/r"]),
            monitor("m3", vin: "V1", label: "vigie:b/a:3", rules: ["b/a"]),
            monitor("f1", vin: nil, fleet: "F", label: "vigie:c/z:4", rules: ["c/z"]),
        ], at: C.at(10))
        let all = try await store.deployedMonitors(vin: nil, offset: 0, limit: 10)
        try expectEqual(all.map(\.monitorId), ["f1", "m3", "m1", "m2"], "order: fleet first, then by vehicle and label")
        try expectEqual(all[2].rules, ["b/q", "b/r"], "rules served")
        try expectEqual(all[0].fleet, "F", "a fleet monitor")
        try expectEqual(Set(all.map(\.deployedAt)), [C.at(10)], "deployed at")
        try expectEqual(try await store.deployedMonitors(vin: "V1", offset: 0, limit: 10).map(\.monitorId), ["m3", "m1"],
                        "one vehicle")
        try expectEqual(try await store.deployedMonitors(vin: nil, offset: 1, limit: 2).map(\.monitorId), ["m3", "m1"], "a page")
        // m1 unchanged, m2 updated (new label), m3 deleted, m4 created.
        try await store.replaceDeployment([
            monitor("m1", vin: "V1", label: "vigie:b/q,b/r:2", rules: ["b/q", "b/r"]),
            monitor("m2", vin: "V2", label: "vigie:b/r:5", rules: ["b/r"]),
            monitor("m4", vin: "V3", label: "vigie:b/r:6", rules: ["b/r"]),
        ], at: C.at(20))
        let next = try await store.deployedMonitors(vin: nil, offset: 0, limit: 10)
        try expectEqual(next.map(\.monitorId), ["m1", "m2", "m4"], "the second deployment, whole")
        try expectEqual(next.map(\.deployedAt), [C.at(10), C.at(20), C.at(20)], "an unchanged monitor keeps its instant")
        try await store.replaceDeployment([], at: C.at(30))
        try expectEqual(try await store.deployedMonitors(vin: nil, offset: 0, limit: 10), [], "an empty deployment")
    }
}
