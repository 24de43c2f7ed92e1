import Foundation
import Hummingbird
import OutcomeStore

/// Commands and holds: pause and resume by vehicle, bundle or rule, each after a
/// confirmation page. The holds are written with the same store calls as `vigie pause` /
/// `vigie resume` (journalled as `console`); a running `vigie serve` applies them within
/// its control watcher's period (250 ms), as it does for those commands.
extension Console {
    func holds(_ access: Access) async throws -> Response {
        let holds = try await source.database.activeHolds().map { hold -> [String: Any] in
            var data = Self.holdData(hold)
            data["resumable"] = hold.kind != .config
            data["csrf"] = access.csrf
            if let vin = hold.vin { data["vin"] = vin }
            if let bundle = hold.bundle { data["bundle"] = bundle }
            if let rule = hold.rule { data["rule"] = rule }
            return data
        }
        let commands = try await source.database.consoleOpenCommands(limit: 100).map { action -> [String: Any] in
            ["createdAt": ConsoleFormat.instant(action.createdAt), "vin": action.vin, "status": action.status,
             "attempts": action.attempts, "payload": action.payload, "firingId": action.firingId]
        }
        return render(title: "Commands & holds", template: "holds",
                      ["holds": holds, "commands": commands, "csrf": access.csrf], access: access)
    }

    /// The selection of a pause or resume form; nil fields mean "any".
    struct HoldForm {
        var vin: String?
        var bundle: String?
        var rule: String?
        var reason: String?

        init(_ form: [String: String]) {
            func value(_ key: String) -> String? {
                form[key].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            vin = value("vin")
            bundle = value("bundle")
            rule = value("rule")
            reason = value("reason")
        }

        var selector: ControlSelector { ControlSelector(vin: vin, bundle: bundle, rule: rule) }

        var data: [String: Any] {
            var out: [String: Any] = [:]
            if let vin { out["vin"] = vin }
            if let bundle { out["bundle"] = bundle }
            if let rule { out["rule"] = rule }
            if let reason { out["reason"] = reason }
            return out
        }

        var scope: String {
            ControlHoldRecord(kind: .pause, vin: vin, bundle: bundle, rule: rule, createdAt: Date()).scopeDescription
        }
    }

    func confirm(_ form: [String: String], _ access: Access) async throws -> Response {
        let selection = HoldForm(form)
        if let refusal = refusal(selection) { return refusal(access) }
        var data = selection.data
        data["csrf"] = access.csrf
        switch form["action"] {
        case "pause":
            data["action"] = "pause"
            data["question"] = "Pause every command and firing of \(selection.scope)? Decisions are still recorded, as suppressed."
        case "resume":
            let lifted = try await source.database.activeHolds().filter { $0.kind != .config && selection.selector.matches($0) }
            data["action"] = "resume"
            data["question"] = lifted.isEmpty
                ? "Nothing held matches \(selection.scope)."
                : "Lift " + lifted.map { "\($0.kind.rawValue) on \($0.scopeDescription)" }.joined(separator: "; ") + "?"
        default:
            return render(.badRequest, title: "Refused", template: "message",
                          ["kind": "error", "text": "Unknown action.", "back": "/console/holds"], access: access)
        }
        return render(title: "Confirm", template: "confirm", data, access: access)
    }

    func pause(_ form: [String: String], _ access: Access) async throws -> Response {
        let selection = HoldForm(form)
        if let refusal = refusal(selection) { return refusal(access) }
        let hold = ControlHoldRecord(kind: .pause, vin: selection.vin, bundle: selection.bundle, rule: selection.rule,
                                     reason: selection.reason, createdAt: source.now())
        let result = try await source.database.addHold(hold, detail: "console")
        let text = result.isNew ? "Paused: \(result.hold.scopeDescription)."
            : "Already paused: \(result.hold.scopeDescription) (since \(ConsoleFormat.instant(result.hold.createdAt)))."
        return render(title: "Paused", template: "message", ["kind": "done", "text": text, "back": "/console/holds"],
                      access: access)
    }

    func resume(_ form: [String: String], _ access: Access) async throws -> Response {
        let selection = HoldForm(form)
        if let refusal = refusal(selection) { return refusal(access) }
        let lifted = try await source.database.resumeHolds(matching: selection.selector, kinds: [.pause, .loop],
                                                     at: source.now(), detail: "console")
        let text = lifted.isEmpty ? "Nothing to resume for \(selection.scope)."
            : "Resumed: " + lifted.map { "\($0.kind.rawValue) on \($0.scopeDescription)" }.joined(separator: "; ") + "."
        return render(lifted.isEmpty ? .notFound : .ok, title: "Resumed", template: "message",
                      ["kind": lifted.isEmpty ? "error" : "done", "text": text, "back": "/console/holds"], access: access)
    }

    /// A rule is named within its bundle.
    func refusal(_ selection: HoldForm) -> ((Access) -> Response)? {
        guard selection.rule != nil, selection.bundle == nil else { return nil }
        return { access in
            render(.badRequest, title: "Refused", template: "message",
                   ["kind": "error", "text": "A rule needs its bundle.", "back": "/console/holds"], access: access)
        }
    }
}
