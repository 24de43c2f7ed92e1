import Foundation
import OutcomeStore

// The alert incidents' invariants (Vigie's own alerts): one open incident per key, even
// under concurrent opens; a resolved incident frees its key; each alert's "sent" mark.
extension RuntimeStoreConformance {
    @Sendable func oneOpenAlertIncidentPerKey(_ store: any RuntimeStore) async throws {
        let t0 = Self.at(0)
        let session = AlertIncidentRecord(key: "session", kind: "session-expired", title: "Session expired",
                                          text: "run `vigie login`", openedAt: t0)
        let first = try await store.openAlertIncident(session)
        try expect(first.isNew && first.incident.id != nil, "the first incident is new and has an id")
        try expect(!first.incident.firingSent && !first.incident.resolvedSent, "a new incident has sent nothing")
        let again = try await store.openAlertIncident(session)
        try expect(!again.isNew && again.incident.id == first.incident.id, "opening twice returns the open incident")

        let loop = AlertIncidentRecord(key: "loop:V1:b/r", kind: "loop-stopped", vin: "V1", bundle: "b", rule: "r",
                                       title: "Rule stopped", text: "looped", openedAt: Self.at(1))
        let news = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask { try await store.openAlertIncident(loop).isNew ? 1 : 0 }
            }
            return try await group.reduce(0, +)
        }
        try expectEqual(news, 1, "new incidents among concurrent opens of one key")
        let open = try await store.openAlertIncidents()
        try expectEqual(open.map(\.key), ["session", "loop:V1:b/r"], "open incidents, oldest first")
        try expectEqual(open[1], AlertIncidentRecord(id: open[1].id, key: "loop:V1:b/r", kind: "loop-stopped", vin: "V1",
                                                     bundle: "b", rule: "r", title: "Rule stopped", text: "looped",
                                                     openedAt: Self.at(1)), "an incident round-trips")

        try expectEqual(try await store.unsentAlertIncidents().map(\.key), ["session", "loop:V1:b/r"], "unsent")
        try await store.markAlertSent(id: first.incident.id!, state: .firing)
        try expectEqual(try await store.unsentAlertIncidents().map(\.key), ["loop:V1:b/r"], "unsent after a firing sent")

        try expect(try await store.resolveAlertIncident(key: "nothing", text: "-", at: Self.at(2)) == nil,
                   "resolving a key with no open incident gives nil")
        let resolved = try await store.resolveAlertIncident(key: "session", text: "session works again", at: Self.at(3))
        try expectEqual(resolved?.resolvedAt, Self.at(3), "resolvedAt")
        try expectEqual(resolved?.resolvedText, "session works again", "resolvedText")
        try expect(try await store.resolveAlertIncident(key: "session", text: "-", at: Self.at(4)) == nil,
                   "an incident is resolved once")
        try expectEqual(try await store.openAlertIncidents().map(\.key), ["loop:V1:b/r"], "open after a resolution")
        let unsent = try await store.unsentAlertIncidents()
        try expectEqual(unsent.map(\.key), ["session", "loop:V1:b/r"], "a resolution is due")
        try expectEqual(unsent[0].unsent, [.resolved], "the session incident's due alert")
        try await store.markAlertSent(id: first.incident.id!, state: .resolved)
        try expectEqual(try await store.unsentAlertIncidents().map(\.key), ["loop:V1:b/r"], "unsent after the resolution sent")

        let reopened = try await store.openAlertIncident(session)
        try expect(reopened.isNew && reopened.incident.id != first.incident.id, "a resolved key opens a new incident")
    }
}
