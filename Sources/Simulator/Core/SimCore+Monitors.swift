import Foundation
import VehicleData

/// Monitors: CRUD (B2C per vehicle and callback, B2B per fleet) and server-side evaluation.
extension SimCore {
    static let maxMonitorsPerVehicle = 5

    // MARK: B2C

    package func listMonitors(_ p: SimPrincipal, vehicle id: String, callback cbid: String) throws -> JSONValue {
        let i = try vehicleIndex(id, for: p)
        _ = try callback(cbid, p)
        let items = sortedMonitors { $0.owner == p && $0.vehicle == i && $0.callbackId == cbid }
        let href = "\(b2cBase)/user/vehicles/\(id)/callbacks/\(cbid)/monitors"
        return HAL.collection(items.map { monitorJSON($0, base: href) }, key: "monitors", href: href)
    }

    package func createMonitor(_ p: SimPrincipal, vehicle id: String, callback cbid: String, body: JSONValue) throws -> JSONValue {
        let i = try vehicleIndex(id, for: p)
        let cb = try callback(cbid, p)
        guard cb.spec.accepts("Monitor") else { throw SimAPIError.callbackType("Monitor") }
        let spec = try MonitorParser.parse(body, b2b: false).get()
        guard monitors.values.filter({ $0.owner == p && $0.vehicle == i }).count < Self.maxMonitorsPerVehicle else {
            throw SimAPIError.tooManyMonitors()
        }
        let record = MonitorRecord(id: newId("mon-"), owner: p, vehicle: i, callbackId: cbid, spec: spec,
                                   status: "Running", createdAt: now, updatedAt: now)
        install(record)
        return monitorRef(monitors[record.id]!, href: "\(b2cBase)/user/vehicles/\(id)/callbacks/\(cbid)/monitors")
    }

    package func getMonitor(_ p: SimPrincipal, vehicle id: String, callback cbid: String, monitor mid: String) throws -> JSONValue {
        let m = try b2cMonitor(p, id, cbid, mid)
        return monitorJSON(m, base: "\(b2cBase)/user/vehicles/\(id)/callbacks/\(cbid)/monitors")
    }

    package func updateMonitor(_ p: SimPrincipal, vehicle id: String, callback cbid: String, monitor mid: String,
                              body: JSONValue) throws -> JSONValue {
        var m = try b2cMonitor(p, id, cbid, mid)
        m.spec = try MonitorParser.parse(body, b2b: false).get()
        m.updatedAt = now
        m.runtimes = [:]
        install(m)
        return monitorRef(monitors[mid]!, href: "\(b2cBase)/user/vehicles/\(id)/callbacks/\(cbid)/monitors")
    }

    package func deleteMonitor(_ p: SimPrincipal, vehicle id: String, callback cbid: String, monitor mid: String) throws {
        _ = try b2cMonitor(p, id, cbid, mid)
        monitors[mid] = nil
    }

    package func setMonitorStatus(_ p: SimPrincipal, vehicle id: String, callback cbid: String, monitor mid: String,
                                 body: JSONValue) throws -> JSONValue {
        var m = try b2cMonitor(p, id, cbid, mid)
        m.status = try Self.statusSetter(body)
        m.updatedAt = now
        m.runtimes = [:]
        install(m)
        return monitorRef(monitors[mid]!, href: "\(b2cBase)/user/vehicles/\(id)/callbacks/\(cbid)/monitors")
    }

    private func b2cMonitor(_ p: SimPrincipal, _ id: String, _ cbid: String, _ mid: String) throws -> MonitorRecord {
        let i = try vehicleIndex(id, for: p)
        _ = try callback(cbid, p)
        guard let m = monitors[mid], m.owner == p, m.vehicle == i, m.callbackId == cbid else {
            throw SimAPIError.notFound("Monitor \(mid)")
        }
        return m
    }

    // MARK: B2B

    package func listFleetMonitors(_ p: SimPrincipal, fleet fid: String) throws -> JSONValue {
        try checkFleet(fid, p)
        let href = "\(b2bBase)/fleets/\(fid)/monitors"
        let items = sortedMonitors { $0.owner == p }
        return HAL.collection(items.map { monitorJSON($0, base: href) }, key: "monitors", href: href)
    }

    package func createFleetMonitor(_ p: SimPrincipal, fleet fid: String, body: JSONValue) throws -> JSONValue {
        try checkFleet(fid, p)
        let spec = try MonitorParser.parse(body, b2b: true).get()
        guard monitors.values.filter({ $0.owner == p }).count < Self.maxMonitorsPerVehicle else { throw SimAPIError.tooManyMonitors() }
        let record = MonitorRecord(id: newId("fmon-"), owner: p, vehicle: nil, callbackId: nil, spec: spec,
                                   status: "Running", createdAt: now, updatedAt: now)
        install(record)
        return monitorRef(monitors[record.id]!, href: "\(b2bBase)/fleets/\(fid)/monitors")
    }

    package func getFleetMonitor(_ p: SimPrincipal, fleet fid: String, monitor mid: String) throws -> JSONValue {
        monitorJSON(try fleetMonitor(p, fid, mid), base: "\(b2bBase)/fleets/\(fid)/monitors")
    }

    package func updateFleetMonitor(_ p: SimPrincipal, fleet fid: String, monitor mid: String, body: JSONValue) throws -> JSONValue {
        var m = try fleetMonitor(p, fid, mid)
        m.spec = try MonitorParser.parse(body, b2b: true).get()
        m.updatedAt = now
        m.runtimes = [:]
        install(m)
        return monitorRef(monitors[mid]!, href: "\(b2bBase)/fleets/\(fid)/monitors")
    }

    package func deleteFleetMonitor(_ p: SimPrincipal, fleet fid: String, monitor mid: String) throws {
        _ = try fleetMonitor(p, fid, mid)
        monitors[mid] = nil
        outbox.remove(mid)
    }

    package func setFleetMonitorStatus(_ p: SimPrincipal, fleet fid: String, monitor mid: String, body: JSONValue) throws -> JSONValue {
        var m = try fleetMonitor(p, fid, mid)
        m.status = try Self.statusSetter(body)
        m.updatedAt = now
        m.runtimes = [:]
        install(m)
        return monitorRef(monitors[mid]!, href: "\(b2bBase)/fleets/\(fid)/monitors")
    }

    private func fleetMonitor(_ p: SimPrincipal, _ fid: String, _ mid: String) throws -> MonitorRecord {
        try checkFleet(fid, p)
        guard let m = monitors[mid], m.owner == p else { throw SimAPIError.notFound("Monitor \(mid)") }
        return m
    }

    static func statusSetter(_ body: JSONValue) throws -> String {
        guard let s = body["status"]?.stringValue, s == "Running" || s == "Paused" else {
            throw SimAPIError.invalid("status must be Running or Paused")
        }
        return s
    }

    // MARK: Evaluation

    /// Stores a monitor and evaluates it at once (a condition that already holds notifies now).
    func install(_ record: MonitorRecord) {
        monitors[record.id] = record
        if let cb = record.spec.fleetCallback {
            outbox.register(record.id, callback: cb, shape: .b2bMonitorEvents(monitorId: record.id))
        }
        evaluate(record.id)
    }

    /// Evaluates every running monitor, or only on the vehicles in `only`.
    func evaluateMonitors(only: Set<Int>? = nil) {
        guard let only else {
            for id in monitors.keys.sorted() { evaluate(id) }
            return
        }
        let ids = monitors.compactMap { id, m in m.vehicle.map { only.contains($0) } ?? true ? id : nil }
        for id in ids.sorted() { evaluate(id, only: only) }
    }

    private func evaluate(_ id: String, only: Set<Int>? = nil) {
        guard var m = monitors[id], m.status == "Running" else { return }
        if let cbid = m.callbackId, callbacks[cbid]?.status != "Running" { return }
        var targets = m.vehicle.map { [$0] } ?? Array(world.vehicles.indices)
        if let only { targets = targets.filter { only.contains($0) } }
        if targets.isEmpty { return }
        for i in targets {
            let v = world.vehicles[i]
            var runtime = m.runtimes[i] ?? {
                var r = MonitorRuntime()
                MonitorEvaluator.prime(m.spec, on: v, runtime: &r)
                return r
            }()
            if let outcome = MonitorEvaluator.evaluate(m.spec, on: v, at: now, runtime: &runtime) {
                notify(m, vehicle: v, outcome: outcome)
            }
            m.runtimes[i] = runtime
        }
        monitors[id] = m
    }

    private func notify(_ m: MonitorRecord, vehicle v: SimVehicle, outcome: MonitorEvaluator.Outcome) {
        let values: [JSONValue] = outcome.values.map { pair in
            .object(["data": .string(pair.path),
                     "value": .object(["type": .string("string"),
                                       "body": .object(["literalValue": .string(pair.value.literal)])])])
        }
        var variables = ["vin": v.vin, "monitorid": m.id, "monitorlabel": m.spec.label]
        let extensions = JSONValue.array(m.spec.extendedEventParam.map { extensionJSON($0, v) })
        let fleetExtensions = JSONValue.array(m.spec.extendedEventParam.compactMap { fleetExtensionJSON($0, v) })
        let drop = faults.chance(config.dropRate)
        if let cbid = m.callbackId, let cb = callbacks[cbid] {
            variables["callbackid"] = cbid
            variables["callbacklabel"] = cb.spec.label
            let attributes = (cb.spec.attributes + m.spec.attributes).filter { $0.type == "Body" }.map {
                JSONValue.object(["key": .string($0.key), "value": .string(SimOutbox.substitute($0.value, variables))])
            }
            let message: JSONValue = .object([
                "callbackId": .string(cbid), "attributes": .array(attributes), "type": .string("Monitor"),
                "date": .string(SimTimestamp.format(now)),
                "monitorEvent": .object(["monitorId": .string(m.id), "values": .array(values),
                                         "extensions": extensions, "refresh": .bool(outcome.refresh)]),
            ])
            outbox.enqueue(message, to: cbid, vin: v.vin, variables: variables, at: now, drop: drop)
        } else if case .fleet(let fid, _) = m.owner {
            let event: JSONValue = .object([
                "fleetId": .string(fid), "vin": .string(v.vin), "eventDate": .string(SimTimestamp.format(now)),
                "values": .array(values), "extensions": fleetExtensions, "refresh": .bool(outcome.refresh),
            ])
            outbox.enqueue(event, to: m.id, vin: v.vin, variables: variables, at: now, drop: drop)
        }
    }

    private func extensionJSON(_ type: String, _ v: SimVehicle) -> JSONValue {
        let body: [JSONValue]
        switch type {
        case "vehicle.status": body = [.object(["status": renderer.status(v)])]
        case "vehicle.position": body = [.object(["position": renderer.position(v)])]
        case "vehicle.doorsState": body = [.object(["doorState": renderer.doors(v.reported, at: v.reportedAt)])]
        case "vehicle.alerts": body = [.object(["alerts": .array([])])]
        case "vehicle.alarm":
            body = [.object(["alarm": .object(["status": .object([
                "createdAt": .string(SimTimestamp.format(v.reportedAt)),
                "activation": .string(v.reported.alarmActive ? "Active" : "Inactive")])])])]
        default: body = []
        }
        return .object(["type": .string(type), "body": .array(body)])
    }

    /// A B2B `MonitorEvent` extension (api-b2b-webhook-template-v3.yaml): `body` is one object
    /// holding the model of api-b2b.yaml without HAL links (`status` with its `vin`, `position`,
    /// `doorState`, `maintenance`, `alerts`). Kinds the simulator has no data for (telemetry,
    /// collisions, trip, stolen) are left out, as the platform leaves out `vehicle.stolen` for a
    /// vehicle not reported stolen.
    private func fleetExtensionJSON(_ type: String, _ v: SimVehicle) -> JSONValue? {
        let body: [String: JSONValue]
        switch type {
        case "vehicle.status": body = ["status": fleetStatusJSON(v, links: false)]
        case "vehicle.position": body = ["position": fleetPositionJSON(v)]
        case "vehicle.doorsState": body = ["doorState": renderer.doors(v.reported, at: v.reportedAt)]
        case "vehicle.maintenance": body = ["maintenance": maintenanceJSON(v, links: [:])]
        case "vehicle.alerts": body = ["alerts": .array([])]
        default: return nil
        }
        return .object(["type": .string(type), "body": .object(body)])
    }

    // MARK: JSON

    private func sortedMonitors(_ filter: (MonitorRecord) -> Bool) -> [MonitorRecord] {
        monitors.values.filter(filter).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    func monitorJSON(_ m: MonitorRecord, base: String) -> JSONValue {
        .object([
            "_links": .object(["self": HAL.link("\(base)/\(m.id)")]),
            "monitorId": .string(m.id), "monitor": m.spec.raw, "status": .string(m.status),
            "createdAt": .string(SimTimestamp.format(m.createdAt)), "updatedAt": .string(SimTimestamp.format(m.updatedAt)),
        ])
    }

    func monitorRef(_ m: MonitorRecord, href: String) -> JSONValue {
        .object([
            "_links": .object(["monitor": HAL.link("\(href)/\(m.id)")]),
            "monitorId": .string(m.id), "status": .string(m.status),
            "createdAt": .string(SimTimestamp.format(m.createdAt)), "updatedAt": .string(SimTimestamp.format(m.updatedAt)),
        ])
    }
}

/// HAL helpers: links and one-page collections.
enum HAL {
    static func link(_ href: String) -> JSONValue { .object(["href": .string(href)]) }

    static func collection(_ items: [JSONValue], key: String, href: String) -> JSONValue {
        .object([
            "_links": .object(["self": link(href), "first": link(href)]),
            "total": .number(Double(items.count)), "totalPage": .number(1), "currentPage": .number(0),
            "_embedded": .object([key: .array(items)]),
        ])
    }
}
