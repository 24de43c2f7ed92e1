import Foundation
import VehicleData

/// Remotes: one action per request, one in flight per vehicle, `Pending` notifications
/// (`Accepted`, `WakingUpVehicle` for a sleeping car, `SentToVehicle`) then `Done`
/// (`Success`, `AlreadyDone`, `Failed` with a cause), and the effect on the vehicle.
extension SimCore {
    static let remoteKinds: [(key: String, type: String)] = [
        ("preconditioning", "ThermalPreconditioning"), ("charging", "ElectricBatteryChargingRequest"),
        ("door", "Doors"), ("horn", "Horn"), ("lights", "Lights"), ("wakeUp", "WakeUp"), ("navigation", "Navigation"),
    ]

    /// `POST …/remotes` (B2C: `fleet` nil; B2B: the fleet id).
    package func postRemote(_ p: SimPrincipal, vehicle id: String, callback cbid: String, body: JSONValue,
                           fleet: String? = nil) throws -> JSONValue {
        if let fleet { try checkFleet(fleet, p) }
        let i = try vehicleIndex(id, for: p)
        let cb = try callback(cbid, p)
        guard cb.spec.accepts("Remote") else { throw SimAPIError.callbackType("Remote") }
        let type = try Self.remoteType(body)
        let busy = remotes.values.contains { $0.vehicle == i && !$0.done }
        let record = RemoteRecord(id: newId("rem-"), owner: p, vehicle: i, callbackId: cbid, body: body, type: type,
                                  status: "Accepted", createdAt: now)
        remotes[record.id] = record
        emit(record, type: "Pending", status: "Accepted")
        if busy {
            scheduleStep(record.id, .failBusy, at: now.addingTimeInterval(1))
        } else if world.vehicles[i].state.isAwake(at: now) {
            scheduleStep(record.id, .send, at: now.addingTimeInterval(2))
        } else {
            scheduleStep(record.id, .wake, at: now.addingTimeInterval(2))
        }
        let base = remotesBase(id, cbid, fleet)
        return .object([
            "_links": .object(["callback": HAL.link(callbackHref(cbid, fleet)), "remote": HAL.link("\(base)/\(record.id)")]),
            "remoteActionId": .string(record.id), "type": .string(type),
        ])
    }

    package func listRemotes(_ p: SimPrincipal, vehicle id: String, callback cbid: String, fleet: String? = nil) throws -> JSONValue {
        if let fleet { try checkFleet(fleet, p) }
        let i = try vehicleIndex(id, for: p)
        _ = try callback(cbid, p)
        let base = remotesBase(id, cbid, fleet)
        let items = remotes.values.filter { $0.owner == p && $0.vehicle == i && $0.callbackId == cbid }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            .map { remoteJSON($0, base: base, fleet: fleet) }
        return HAL.collection(items, key: "remoteActions", href: base)
    }

    package func getRemote(_ p: SimPrincipal, vehicle id: String, callback cbid: String, remote rid: String,
                          fleet: String? = nil) throws -> JSONValue {
        if let fleet { try checkFleet(fleet, p) }
        let i = try vehicleIndex(id, for: p)
        _ = try callback(cbid, p)
        guard let r = remotes[rid], r.owner == p, r.vehicle == i, r.callbackId == cbid else {
            throw SimAPIError.notFound("Remote action \(rid)")
        }
        return remoteJSON(r, base: remotesBase(id, cbid, fleet), fleet: fleet)
    }

    static func remoteType(_ body: JSONValue) throws -> String {
        guard let o = body.objectValue else { throw SimAPIError.invalidRemote("body must be an object") }
        let present = remoteKinds.filter { o[$0.key] != nil && o[$0.key] != .null }
        guard present.count == 1 else {
            throw SimAPIError.invalidRemote("exactly one action (\(remoteKinds.map(\.key).joined(separator: ", "))) is required, got \(present.count)")
        }
        let action = o[present[0].key]!
        guard action.objectValue != nil else { throw SimAPIError.invalidRemote("\(present[0].key) must be an object") }
        switch present[0].key {
        case "door":
            guard let s = action["state"]?.stringValue, s == "Locked" || s == "Unlocked" else {
                throw SimAPIError.invalidRemote("door.state must be Locked or Unlocked")
            }
        case "horn":
            guard let s = action["state"]?.stringValue, s == "Activated" || s == "Unactivated" else {
                throw SimAPIError.invalidRemote("horn.state must be Activated or Unactivated")
            }
        case "lights":
            guard action["on"]?.boolValue != nil else { throw SimAPIError.invalidRemote("lights.on (boolean) is required") }
        case "preconditioning":
            guard action["airConditioning"]?.objectValue != nil else {
                throw SimAPIError.invalidRemote("preconditioning.airConditioning is required")
            }
        case "navigation":
            guard let positions = action["positions"]?.arrayValue, (1...10).contains(positions.count) else {
                throw SimAPIError.invalidRemote("navigation.positions needs 1 to 10 points")
            }
        case "charging":
            let hasPrefs = action["preferences"] != nil
            let hasOther = action["immediate"] != nil || action["schedule"] != nil || action["nextDelayedTime"] != nil
            guard hasPrefs != hasOther else {
                throw SimAPIError.invalidRemote("charging takes preferences, or immediate/schedule, not both and not none")
            }
        default: break
        }
        return present[0].type
    }

    // MARK: Steps

    func runStep(_ s: ScheduledStep) {
        guard var r = remotes[s.remote], !r.done else { return }
        switch s.step {
        case .failBusy:
            finish(&r, "Failed", cause: "SameActionInProgress")
        case .wake:
            wake(&r)
        case .send:
            emit(r, type: "Pending", status: "SentToVehicle")
            r.status = "SentToVehicle"
            scheduleStep(r.id, .finish, at: now.addingTimeInterval(3))
        case .finish:
            if faults.chance(config.remoteFailRate) {
                finish(&r, "Failed", cause: "VehicleConnectionTimeout")
            } else {
                var result: (String, String?) = ("Success", nil)
                let profile = world.vehicles[r.vehicle].profile, at = now, body = r.body
                world.update(r.vehicle) { state in result = RemoteEffects.apply(body, to: &state, profile: profile, at: at) }
                finish(&r, result.0, cause: result.1)
            }
        }
        remotes[r.id] = r
    }

    private func wake(_ r: inout RemoteRecord) {
        let month = String(SimTimestamp.format(now).prefix(7))
        var state = world.vehicles[r.vehicle].state
        if state.wakeUpMonth != month { state.wakeUpMonth = month; state.wakeUps = 0 }
        if state.wakeUps >= config.wakeUpsPerMonth {
            world.update(r.vehicle) { $0.wakeUpMonth = month; $0.wakeUps = state.wakeUps }
            emit(r, type: "Pending", status: "TooManyWakeUpsOverMonth")
            finish(&r, "Failed", cause: "TooManyWakeUpsOverMonth")
            return
        }
        world.update(r.vehicle) { $0.wakeUpMonth = month; $0.wakeUps = state.wakeUps + 1 }
        emit(r, type: "Pending", status: "WakingUpVehicle")
        r.status = "WakingUpVehicle"
        scheduleStep(r.id, .send, at: now.addingTimeInterval(10))
    }

    private func finish(_ r: inout RemoteRecord, _ status: String, cause: String?) {
        r.status = status
        r.failureCause = cause
        r.done = true
        remotes[r.id] = r
        emit(r, type: "Done", status: status, cause: cause)
    }

    private func emit(_ r: RemoteRecord, type: String, status: String, cause: String? = nil) {
        guard let cb = callbacks[r.callbackId], cb.status == "Running" else { return }
        let v = world.vehicles[r.vehicle]
        var eventStatus: [String: JSONValue] = ["type": .string(type), "status": .string(status)]
        if let cause { eventStatus["failureCause"] = .string(cause) }
        let variables = ["vin": v.vin, "callbackid": cb.id, "callbacklabel": cb.spec.label,
                         "remotetype": r.type, "remotestatus": status, "remotelabel": r.body["label"]?.stringValue ?? ""]
        let drop = faults.chance(config.dropRate)
        if case .fleet = r.owner {
            let event: JSONValue = .object([
                "remoteActionId": .string(r.id), "vin": .string(v.vin), "eventDate": .string(SimTimestamp.format(now)),
                "remoteType": .string(r.type), "eventStatus": .object(eventStatus),
            ])
            outbox.enqueue(event, to: cb.id, vin: v.vin, variables: variables, at: now, drop: drop)
            return
        }
        let attributes = cb.spec.attributes.filter { $0.type == "Body" }.map {
            JSONValue.object(["key": .string($0.key), "value": .string(SimOutbox.substitute($0.value, variables))])
        }
        let message: JSONValue = .object([
            "callbackId": .string(cb.id), "attributes": .array(attributes), "type": .string("Remote"),
            "date": .string(SimTimestamp.format(now)),
            "remoteEvent": .object(["remoteActionId": .string(r.id), "remoteType": .string(r.type),
                                    "eventStatus": .object(eventStatus)]),
        ])
        outbox.enqueue(message, to: cb.id, vin: v.vin, variables: variables, at: now, drop: drop)
    }

    // MARK: JSON

    private func remotesBase(_ id: String, _ cbid: String, _ fleet: String?) -> String {
        guard let fleet else { return "\(b2cBase)/user/vehicles/\(id)/callbacks/\(cbid)/remotes" }
        return "\(b2bBase)/fleets/\(fleet)/vehicles/\(id)/callbacks/\(cbid)/remotes"
    }

    private func callbackHref(_ cbid: String, _ fleet: String?) -> String {
        guard let fleet else { return "\(b2cBase)/user/callbacks/\(cbid)" }
        return "\(b2bBase)/fleets/\(fleet)/remote/callbacks/\(cbid)"
    }

    private func remoteJSON(_ r: RemoteRecord, base: String, fleet: String?) -> JSONValue {
        var o: [String: JSONValue] = [
            "_links": .object(["self": HAL.link("\(base)/\(r.id)"), "callback": HAL.link(callbackHref(r.callbackId, fleet))]),
            "remoteActionId": .string(r.id), "remote": r.body, "status": .string(r.status), "type": .string(r.type),
        ]
        if let cause = r.failureCause { o["failureCause"] = .string(cause) }
        return .object(o)
    }
}
