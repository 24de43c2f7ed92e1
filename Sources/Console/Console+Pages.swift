import Foundation
import Hummingbird
import OutcomeStore
import RuleEngine
import RuleLanguage

/// The read-only pages: overview, vehicles, one vehicle, rules × vehicles, a decision's trace.
extension Console {
    func overview(_ access: Access) async throws -> Response {
        let now = source.now()
        let figures = try await source.database.consoleOverview(scope: source.scope, now: now)
        let holds = try await source.database.activeHolds()
        let flaps = try await source.database.openFlapHolds()
        let (ready, reason) = source.readiness()
        let rate = intake.sample(source.notificationsStored(), at: now)
        var alerts: [String] = []
        if !ready { alerts.append("Not ready: \(reason ?? "unknown") — commands wait in the outbox.") }
        if figures.deadLetters > 0 { alerts.append("\(figures.deadLetters) dead letter(s): items the engine could not use.") }
        for flap in flaps {
            alerts.append("Rule \(flap.bundle ?? "")/\(flap.rule ?? "") is flapping on \(flap.vin ?? "every vehicle") (held).")
        }
        if figures.inboxUnprocessed > 10_000 { alerts.append("\(figures.inboxUnprocessed) notifications wait for the engine.") }
        let data: [String: Any] = [
            "intakeRate": rate.map { String(format: "%.1f", $0) } ?? "–",
            "unprocessed": figures.inboxUnprocessed, "fired": figures.firedLastHour,
            "suppressed": figures.suppressedLastHour, "inFlight": figures.outboxInFlight, "queued": figures.outboxQueued,
            "holdCount": holds.count, "holds": holds.map(Self.holdData), "vehicles": figures.vehicles,
            "readyText": ready ? "ready" : "not ready", "readyClass": ready ? "good" : "bad",
            "readyReason": ready ? "API access and session available" : (reason ?? ""),
            "alerts": alerts,
            "decisions": try await source.database.consoleRecentDecisions(vin: nil, limit: 15).map(Self.decisionData),
        ]
        return render(title: "Overview", template: "overview", data, access: access)
    }

    func vehicles(_ request: Request, _ access: Access) async throws -> Response {
        let query = Self.query(request)
        let vin = query["vin"].flatMap { $0.isEmpty ? nil : $0 }
        let total = vin == nil ? try await source.database.consoleVehicleCount(scope: source.scope) : 1
        let pager = Pager(total: total, size: settings.pageSize, page: Int(query["page"] ?? "") ?? 1)
        let now = source.now()
        let rows = try await source.database.consoleVehicles(scope: source.scope, vin: vin, offset: pager.offset, limit: pager.size)
        let decoder = JSONDecoder()
        let vehicles: [[String: Any]] = rows.map { row in
            let snapshot = try? decoder.decode(VehicleSnapshot.self, from: row.state)
            let fields = (snapshot?.fields ?? []).sorted { $0.field < $1.field }.map { field -> [String: Any] in
                ["field": field.field, "value": ConsoleFormat.value(field.value),
                 "age": ConsoleFormat.age(from: Self.date(field.at), to: now)]
            }
            return ["vin": row.vin, "fields": fields, "busy": snapshot.map { "\($0.rules.filter { $0.phase != .armed }.count)" } ?? "?",
                    "updated": ConsoleFormat.age(from: row.updatedAt, to: now) + " ago"]
        }
        var data: [String: Any] = ["vehicles": vehicles, "filterVin": vin ?? ""]
        data["pager"] = pager.data(path: "/console/vehicles", query: vin.map { ["vin": $0] } ?? [:], noun: "vehicles")
        return render(title: "Vehicles", template: "vehicles", data, access: access)
    }

    func vehicle(_ vin: String, _ access: Access) async throws -> Response {
        let now = source.now()
        guard let row = try await source.database.consoleVehicles(scope: source.scope, vin: vin, offset: 0, limit: 1).first else {
            return render(.notFound, title: "Vehicle \(vin)", template: "message",
                          ["kind": "error", "text": "No engine state for \(vin) yet.", "back": "/console/vehicles"],
                          access: access, vin: vin)
        }
        let snapshot = try JSONDecoder().decode(VehicleSnapshot.self, from: row.state)
        let fields = snapshot.fields.sorted { $0.field < $1.field }.map { field -> [String: Any] in
            ["field": field.field, "value": ConsoleFormat.value(field.value), "at": ConsoleFormat.instant(millis: field.at),
             "age": ConsoleFormat.age(from: Self.date(field.at), to: now)]
        }
        let data: [String: Any] = [
            "vin": vin, "fields": fields, "updated": ConsoleFormat.age(from: row.updatedAt, to: now) + " ago",
            "tags": source.inventory.vehicle(vin: vin)?.tags ?? [],
            "rows": try await ruleRows([(vin, snapshot)], bundle: nil, rule: nil),
            "decisions": try await source.database.consoleRecentDecisions(vin: vin, limit: 15).map(Self.decisionData),
            "csrf": access.csrf,
            "monitors": try await source.database.deployedMonitors(vin: vin, offset: 0, limit: 20).map(Self.monitorData),
        ]
        return render(title: "Vehicle \(vin)", template: "vehicle", data, access: access, vin: vin)
    }

    func rules(_ request: Request, _ access: Access) async throws -> Response {
        let query = Self.query(request)
        func filter(_ key: String) -> String? { query[key].flatMap { $0.isEmpty ? nil : $0 } }
        let (bundle, rule, vin) = (filter("bundle"), filter("rule"), filter("vin"))
        // A page holds about 200 rows: fewer vehicles when each shows many rules.
        let perVehicle = max(1, source.bundles.filter { bundle == nil || $0.name == bundle }
            .reduce(0) { $0 + $1.rules.filter { rule == nil || $0.id == rule }.count })
        let size = max(1, 200 / perVehicle)
        let total = vin == nil ? try await source.database.consoleVehicleCount(scope: source.scope) : 1
        let pager = Pager(total: total, size: size, page: Int(query["page"] ?? "") ?? 1)
        let decoder = JSONDecoder()
        let vehicles = try await source.database.consoleVehicles(scope: source.scope, vin: vin, offset: pager.offset, limit: size)
            .map { ($0.vin, (try? decoder.decode(VehicleSnapshot.self, from: $0.state)) ?? VehicleSnapshot(vin: $0.vin, fields: [], rules: [])) }
        var kept: [String: String] = [:]
        for (key, value) in [("bundle", bundle), ("rule", rule), ("vin", vin)] { if let value { kept[key] = value } }
        var data: [String: Any] = ["rows": try await ruleRows(vehicles, bundle: bundle, rule: rule),
                                   "filterBundle": bundle ?? "", "filterRule": rule ?? "", "filterVin": vin ?? ""]
        data["pager"] = pager.data(path: "/console/rules", query: kept, noun: "vehicles")
        return render(title: "Rules × vehicles", template: "rules", data, access: access)
    }

    /// One row per rule watching each vehicle: its phase and timers, last fired and last
    /// suppressed decision, and the hold covering it.
    func ruleRows(_ vehicles: [(String, VehicleSnapshot)], bundle: String?, rule: String?) async throws -> [[String: Any]] {
        let history = try await source.database.consoleRuleHistory(vins: vehicles.map(\.0))
        let holds = try await source.database.activeHolds()
        var rows: [[String: Any]] = []
        for (vin, snapshot) in vehicles {
            var states: [String: RuleStateSnapshot] = [:]
            for state in snapshot.rules { states["\(state.bundle)/\(state.rule)"] = state }
            for (b, r) in source.rules(for: vin) where (bundle == nil || b.name == bundle) && (rule == nil || r.id == rule) {
                let key = "\(b.name)/\(r.id)"
                let state = states[key]
                var row: [String: Any] = ["vin": vin, "bundle": b.name, "rule": r.id,
                                          "phase": (state?.phase ?? .armed).rawValue]
                if let since = state?.pendingSince, state?.phase == .pending {
                    row["pendingSince"] = ConsoleFormat.instant(millis: since)
                    if let seconds = r.forSeconds { row["firesAt"] = ConsoleFormat.instant(millis: since + Int64(seconds * 1000)) }
                }
                if let next = state?.nextRepeatAt { row["nextRepeat"] = ConsoleFormat.instant(millis: next) }
                if let fired = history[vin]?[key]?.lastFired { row["lastFired"] = Self.decisionData(fired) }
                if let suppressed = history[vin]?[key]?.lastSuppressed { row["lastSuppressed"] = Self.decisionData(suppressed) }
                if let hold = holds.first(where: { $0.covers(vin: vin, bundle: b.name, rule: r.id) }) {
                    row["held"] = "\(hold.kind.rawValue) (\(hold.scopeDescription))"
                }
                rows.append(row)
            }
        }
        return rows
    }

    func trace(_ id: Int64?, _ access: Access) async throws -> Response {
        guard let id, let trace = try await source.database.consoleTrace(firingId: id) else {
            return render(.notFound, title: "Decision", template: "message",
                          ["kind": "error", "text": "No such decision.", "back": "/console"], access: access)
        }
        let d = trace.decision
        var data = Self.decisionData(d)
        data["renderedActions"] = trace.renderedActions
        if d.bundle == ManualCommandRecord.bundle, let asked = try await source.database.manualCommands(firingIds: [id])[id] {
            data["manual"] = ["requestedBy": asked.requestedBy, "via": asked.via, "action": asked.action]
        }
        if let cause = trace.cause {
            data["cause"] = ["id": cause.id ?? 0, "type": cause.type ?? "", "eventDate": cause.eventDate ?? "",
                             "receivedAt": ConsoleFormat.instant(cause.receivedAt), "body": cause.body]
        }
        data["actions"] = trace.actions.map { life -> [String: Any] in
            let a = life.action
            var out: [String: Any] = ["position": a.position, "kind": a.kind, "status": a.status, "payload": a.payload,
                                      "createdAt": ConsoleFormat.instant(a.createdAt)]
            if let id = a.remoteActionId { out["remoteActionId"] = id }
            if let cause = a.failureCause { out["failureCause"] = cause }
            if let sent = a.sentAt { out["sentAt"] = ConsoleFormat.instant(sent) }
            if let done = a.doneAt { out["doneAt"] = ConsoleFormat.instant(done) }
            out["attempts"] = life.attempts.map { attempt -> [String: Any] in
                ["attempt": attempt.attempt, "startedAt": ConsoleFormat.instant(attempt.startedAt),
                 "finishedAt": ConsoleFormat.instant(attempt.finishedAt), "httpStatus": attempt.httpStatus.map(String.init) ?? "",
                 "outcome": attempt.outcome, "failureCause": attempt.failureCause ?? "", "detail": attempt.detail ?? ""]
            }
            out["hasEvents"] = !life.remoteEvents.isEmpty
            out["events"] = life.remoteEvents.map { event -> [String: Any] in
                var e: [String: Any] = ["receivedAt": ConsoleFormat.instant(event.receivedAt), "type": event.type,
                                        "status": event.status]
                if let cause = event.failureCause { e["failureCause"] = cause }
                return e
            }
            return out
        }
        data["explain"] = await explainData(d)
        return render(title: "Decision #\(id)", template: "trace", data, access: access, vin: d.vin)
    }

    /// The trace's `--explain` view: the rule's evaluation at the decision's instant, each
    /// sub-condition indented by depth with its truth (none for a manual command).
    func explainData(_ d: ConsoleRows.Decision) async -> [String: Any] {
        var out: [String: Any] = ["command": "vigie explain --vin \(d.vin) --rule \(d.bundle)/\(d.rule) --at \(Timestamp.format(d.at))"]
        guard d.bundle != ManualCommandRecord.bundle else {
            out["manual"] = true
            return out
        }
        guard let explain = source.explain else { return out }
        do {
            let answer = try await explain(d.vin, d.bundle, d.rule, d.at)
            out["replay"] = answer.replay
            guard let e = answer.explanation else {
                out["never"] = true
                return out
            }
            out["evaluation"] = [
                "at": ConsoleFormat.instant(millis: e.at), "cause": e.cause.rawValue, "phase": e.phase.rawValue,
                "truth": "\(e.truth)",
                "lines": e.lines.map { line -> [String: Any] in
                    ["depth": min(line.depth, 8), "text": line.text, "truth": "\(line.truth)"]
                },
            ]
        } catch {
            out["error"] = "\(error)"
        }
        return out
    }

    static func decisionData(_ d: ConsoleRows.Decision) -> [String: Any] {
        var out: [String: Any] = ["id": d.id, "at": ConsoleFormat.instant(d.at), "vin": d.vin, "bundle": d.bundle,
                                  "rule": d.rule, "event": d.event]
        if let reason = d.reason { out["reason"] = reason }
        return out
    }

    static func holdData(_ hold: ControlHoldRecord) -> [String: Any] {
        var out: [String: Any] = ["kind": hold.kind.rawValue, "scope": hold.scopeDescription,
                                  "createdAt": ConsoleFormat.instant(hold.createdAt)]
        if let reason = hold.reason { out["reason"] = reason }
        return out
    }

    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
