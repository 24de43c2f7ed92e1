import Foundation
import MonitorCompiler
import RuleLanguage
import StellantisModels

/// Renders a `DeploymentPlan` Terraform-style (`+` create, `~` update, `-` delete, then
/// `Plan: N to create, M to update, K to delete.` or `No changes.`) or as JSON (sorted
/// keys). Whatever holds the webhook secret (callback target, B2B monitor callback) is
/// shown with the secret replaced by `<redacted>`.
package enum PlanRenderer {
    package static func text(_ plan: DeploymentPlan, secret: String) -> String {
        var out = ""
        if plan.hasChanges {
            out += "Vigie will perform the following actions:\n"
            if let action = plan.callback.action {
                out += "\n  \(marker(action)) callback \"\(plan.callback.label)\"\(plan.callback.id.map { " (id \($0))" } ?? "")\n"
                if let webhook = plan.callback.body.callback.webhook {
                    out += "      target: \(redact(webhook.target, secret))\n"
                    let batched = webhook.batch?.enabled == true || plan.callback.body.batchNotify != nil
                    out += "      batch:  \(batched ? "on" : "off")\n"
                }
            }
            for step in plan.monitors { out += "\n" + text(step) }
            out += "\n"
        }
        var kept = "Vigie monitors up to date: \(plan.unchanged)"
        if plan.foreign > 0 { kept += "; \(plan.foreign) monitor\(plan.foreign == 1 ? "" : "s") not owned by Vigie left alone" }
        out += kept + ".\n\n"
        if plan.hasChanges {
            out += "Plan: \(plan.count(.create)) to create, \(plan.count(.update)) to update, \(plan.count(.delete)) to delete.\n"
        } else {
            out += "No changes.\n"
        }
        return out
    }

    private static func text(_ step: DeploymentPlan.MonitorStep) -> String {
        var out = "  \(marker(step.action)) monitor on \(step.scope)\(step.monitorID.map { " (id \($0))" } ?? "")\n"
        switch step.action {
        case .create: out += "      label:    \(step.label)\n"
        case .update: out += "      label:    \(step.deployedLabel ?? "") -> \(step.label)\n"
        case .delete: out += "      label:    \(step.deployedLabel ?? "")\n"
        }
        out += "      rules:    \(step.rules.joined(separator: ", "))\n"
        if let body = step.body {
            for trigger in body.triggerParam.triggers { out += "      trigger:  \(describe(trigger))\n" }
            out += "      boolExp:  \(body.triggerParam.boolExp)\n"
            if let refresh = body.subscribeParam?.refreshEvent { out += "      refresh:  every \(refresh) s\n" }
        }
        return out
    }

    static func describe(_ trigger: MonitorTrigger) -> String {
        if let data = trigger.data {
            let values = (data.value ?? []).joined(separator: ", ")
            return "\(trigger.name) = \(data.data) \(data.op.rawValue)" + (values.isEmpty ? "" : " [\(values)]")
        }
        if let zone = trigger.zone {
            let c = zone.place.center
            return "\(trigger.name) = zone \(zone.transition.rawValue) \(c.latitude),\(c.longitude) radius \(zone.place.radius) km"
        }
        if let time = trigger.time {
            let windows = time.times.map { entry -> String in
                var text = "\(entry.recurrence?.rawValue ?? "None") from \(entry.start)"
                if let duration = entry.duration { text += " for \(duration)" }
                if let days = entry.occurence?.day, !days.isEmpty { text += " on \(days.joined(separator: ","))" }
                return text
            }
            return "\(trigger.name) = time \(windows.joined(separator: "; "))" + (time.timeZone.map { " (\($0))" } ?? "")
        }
        return trigger.name
    }

    static func marker(_ action: DeploymentPlan.Action) -> String {
        switch action {
        case .create: return "+"
        case .update: return "~"
        case .delete: return "-"
        }
    }

    static func redact(_ text: String, _ secret: String) -> String {
        secret.isEmpty ? text : text.replacingOccurrences(of: secret, with: "<redacted>")
    }

    /// `{"callback": {...} | null, "monitors": [...], "summary": {...}, "unchanged": N, "foreign": N}`.
    package static func json(_ plan: DeploymentPlan, secret: String) -> String {
        var callback: JSONValue = .null
        if let action = plan.callback.action {
            callback = .object(["action": .string(action.rawValue), "id": plan.callback.id.map(JSONValue.string) ?? .null,
                                "label": .string(plan.callback.label),
                                "target": .string(plan.callback.body.callback.webhook?.target ?? "")])
        }
        let monitors: [JSONValue] = plan.monitors.map { step in
            var scope: [String: JSONValue] = ["vin": .null, "vehicleId": .null, "fleet": .null]
            switch step.scope {
            case .vehicle(let vin, let id): scope["vin"] = .string(vin); scope["vehicleId"] = .string(id)
            case .fleet(let id): scope["fleet"] = .string(id)
            }
            return .object(scope.merging([
                "action": .string(step.action.rawValue), "monitorId": step.monitorID.map(JSONValue.string) ?? .null,
                "deployedLabel": step.deployedLabel.map(JSONValue.string) ?? .null,
                "rules": .array(step.rules.map(JSONValue.string)),
                "monitor": step.body.map(CompilationReport.jsonValue) ?? .null,
            ]) { a, _ in a })
        }
        let root: JSONValue = .object([
            "callback": callback, "monitors": .array(monitors), "unchanged": .number(Double(plan.unchanged)),
            "foreign": .number(Double(plan.foreign)), "changes": .bool(plan.hasChanges),
            "summary": .object(["create": .number(Double(plan.count(.create))), "update": .number(Double(plan.count(.update))),
                                "delete": .number(Double(plan.count(.delete)))]),
        ])
        return redact(CanonicalJSON.text(root), secret) + "\n"
    }
}
