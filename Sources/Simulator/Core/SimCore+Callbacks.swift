import Foundation
import VehicleData

/// Callbacks: B2C `/user/callbacks` and B2B `/fleets/{fid}/remote/callbacks`.
extension SimCore {
    // MARK: B2C

    package func listCallbacks(_ p: SimPrincipal) -> JSONValue {
        let href = "\(b2cBase)/user/callbacks"
        return HAL.collection(ownCallbacks(p).map { userCallbackJSON($0, base: href) }, key: "callbacks", href: href)
    }

    package func createCallback(_ p: SimPrincipal, body: JSONValue) throws -> JSONValue {
        let spec = try CallbackSpec.parse(body, b2b: false).get()
        let record = CallbackRecord(id: newId("cb-"), owner: p, spec: spec, status: "Running", createdAt: now)
        store(record)
        return callbackRef(record, links: ["callback": "\(b2cBase)/user/callbacks/\(record.id)"])
    }

    package func getCallback(_ p: SimPrincipal, id: String) throws -> JSONValue {
        userCallbackJSON(try callback(id, p), base: "\(b2cBase)/user/callbacks")
    }

    package func updateCallback(_ p: SimPrincipal, id: String, body: JSONValue, b2b: Bool = false, fleet: String? = nil) throws -> JSONValue {
        if let fleet { try checkFleet(fleet, p) }
        var record = try callback(id, p)
        record.spec = try CallbackSpec.parse(body, b2b: b2b, remote: b2b).get()
        store(record)
        return callbackRef(record, links: links(record, fleet: fleet))
    }

    package func setCallbackStatus(_ p: SimPrincipal, id: String, body: JSONValue, fleet: String? = nil) throws -> JSONValue {
        if let fleet { try checkFleet(fleet, p) }
        var record = try callback(id, p)
        record.status = try Self.statusSetter(body)
        store(record)
        return callbackRef(record, links: links(record, fleet: fleet))
    }

    /// Deleting a B2C callback deletes its monitors; a B2B one is refused while a remote is pending.
    package func deleteCallback(_ p: SimPrincipal, id: String, fleet: String? = nil) throws {
        if let fleet { try checkFleet(fleet, p) }
        _ = try callback(id, p)
        if fleet != nil, remotes.values.contains(where: { $0.callbackId == id && !$0.done }) {
            throw SimAPIError.invalid("Callback \(id) has a pending remote action")
        }
        callbacks[id] = nil
        outbox.remove(id)
        for (mid, m) in monitors where m.callbackId == id { monitors[mid] = nil }
    }

    // MARK: B2B

    package func listFleetCallbacks(_ p: SimPrincipal, fleet fid: String) throws -> JSONValue {
        try checkFleet(fid, p)
        let href = "\(b2bBase)/fleets/\(fid)/remote/callbacks"
        return HAL.collection(ownCallbacks(p).map { fleetCallbackJSON($0, fid: fid) }, key: "callbacks", href: href)
    }

    package func createFleetCallback(_ p: SimPrincipal, fleet fid: String, body: JSONValue) throws -> JSONValue {
        try checkFleet(fid, p)
        let spec = try CallbackSpec.parse(body, b2b: true, remote: true).get()
        let record = CallbackRecord(id: newId("rcb-"), owner: p, spec: spec, status: "Running", createdAt: now)
        store(record)
        return callbackRef(record, links: links(record, fleet: fid))
    }

    package func getFleetCallback(_ p: SimPrincipal, fleet fid: String, id: String) throws -> JSONValue {
        try checkFleet(fid, p)
        return fleetCallbackJSON(try callback(id, p), fid: fid)
    }

    // MARK: Helpers

    func store(_ record: CallbackRecord) {
        callbacks[record.id] = record
        let shape: SimOutbox.Shape
        if case .fleet = record.owner { shape = .b2bRemoteEvents(callbackId: record.id) } else { shape = .b2cMessages }
        outbox.register(record.id, callback: record.spec, shape: shape)
    }

    private func ownCallbacks(_ p: SimPrincipal) -> [CallbackRecord] {
        callbacks.values.filter { $0.owner == p }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    private func links(_ r: CallbackRecord, fleet: String?) -> [String: String] {
        guard let fleet else { return ["callback": "\(b2cBase)/user/callbacks/\(r.id)"] }
        return ["fleet": "\(b2bBase)/fleets/\(fleet)", "callback": "\(b2bBase)/fleets/\(fleet)/remote/callbacks/\(r.id)"]
    }

    private func callbackRef(_ r: CallbackRecord, links: [String: String]) -> JSONValue {
        .object(["_links": .object(links.mapValues(HAL.link)), "callbackId": .string(r.id), "status": .string(r.status)])
    }

    private func userCallbackJSON(_ r: CallbackRecord, base: String) -> JSONValue {
        .object(["_links": .object(["self": HAL.link("\(base)/\(r.id)")]), "label": .string(r.spec.label),
                 "id": .string(r.id), "subscribe": r.spec.raw, "status": .string(r.status)])
    }

    private func fleetCallbackJSON(_ r: CallbackRecord, fid: String) -> JSONValue {
        let href = "\(b2bBase)/fleets/\(fid)/remote/callbacks/\(r.id)"
        return .object([
            "_links": .object(["self": HAL.link(href), "fleet": HAL.link("\(b2bBase)/fleets/\(fid)"),
                               "remotes": HAL.link("\(b2bBase)/fleets/\(fid)/vehicles/{vid}/callbacks/\(r.id)/remotes")]),
            "id": .string(r.id), "subscribe": r.spec.raw, "status": .string(r.status),
        ])
    }
}
