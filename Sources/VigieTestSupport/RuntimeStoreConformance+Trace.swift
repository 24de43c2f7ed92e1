import Foundation
import OutcomeStore

// The trace reads' checks (`vigie explain`, the console's trace page): one vehicle's rows,
// and every vehicle's rows in a receiving-time window, each in id order.
extension RuntimeStoreConformance {
    private typealias C = RuntimeStoreConformance

    /// One vehicle's rows after a row, and the rows received in a closed time window, both
    /// in id order with every column as stored; processed rows included.
    @Sendable func traceReadsAreBounded(_ store: any RuntimeStore) async throws {
        try expectEqual(try await store.inboxRows(vin: "V1", after: 0), [], "an empty inbox")
        // V1 and V2 interleaved, in three commits at 0 s, 10 s and 20 s.
        _ = try await store.appendIntake([IntakeBatch(notifications: [C.notification("a", vin: "V1"), C.notification("b", vin: "V2")])],
                                         at: C.at(0))
        _ = try await store.appendIntake([IntakeBatch(notifications: [C.notification("c", vin: "V2"), C.notification("d", vin: "V1")])],
                                         at: C.at(10))
        _ = try await store.appendIntake([IntakeBatch(notifications: [C.notification("e", vin: "V1"),
                                                                      IntakeBatch.Notification(dedupKey: "f", vin: nil, type: nil,
                                                                                               eventDate: nil, body: "{}")])],
                                         at: C.at(20))
        let all = try await store.inboxRows(receivedFrom: C.at(-1), through: C.at(30))
        try expectEqual(all.map(\.dedupKey), ["a", "b", "c", "d", "e", "f"], "every row, in id order")
        try expectEqual(all.map(\.receivedAt), [C.at(0), C.at(0), C.at(10), C.at(10), C.at(20), C.at(20)], "received at")
        try expectEqual(all[0].vin, "V1", "vin")
        try expectEqual(all[0].eventDate, "2026-03-02T22:00:00Z", "event date")
        try expectEqual(all[0].body, "{\"k\":\"a\"}", "body")
        try expectEqual(all[5].vin, nil, "a row naming no vehicle")
        let ids = all.compactMap(\.id)
        try expect(ids == ids.sorted() && Set(ids).count == 6, "ids grow: \(ids)")
        try await store.markProcessed([ids[0], ids[3]], at: C.at(25))
        let v1 = try await store.inboxRows(vin: "V1", after: 0)
        try expectEqual(v1.map(\.dedupKey), ["a", "d", "e"], "one vehicle's rows, processed ones too")
        try expectEqual(v1.map(\.processed), [true, true, false], "processed")
        try expectEqual(try await store.inboxRows(vin: "V1", after: ids[0]).map(\.dedupKey), ["d", "e"], "after a row")
        try expectEqual(try await store.inboxRows(vin: "V3", after: 0), [], "an unknown vehicle")
        try expectEqual(try await store.inboxRows(receivedFrom: C.at(10), through: C.at(20)).map(\.dedupKey),
                        ["c", "d", "e", "f"], "a window, both ends included")
        try expectEqual(try await store.inboxRows(receivedFrom: C.at(0.001), through: C.at(9.999)).map(\.dedupKey), [],
                        "a window between commits")
    }
}
