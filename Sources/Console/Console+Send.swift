import Foundation
import Hummingbird
import OutcomeStore
import RuleEngine
import RuleLanguage
import VigieRuntime

/// Manual commands from a vehicle's page (docs/console.md "Manual commands"): the action,
/// written as in a rule's `then:`, is checked by the rule language (`ManualAction`), shown
/// on a confirmation page with its request body, then queued with the same store call as
/// `vigie send` — same outbox, pauses, budgets and outcome log, recorded as `manual` with
/// the console identity that asked. `doors: unlock` needs the confirmation page's explicit
/// box, as `vigie send` needs `--allow-unlock`.
extension Console {
    /// The label of the unlock box (the opt-in `doors: unlock` needs).
    static let unlockOptIn = "Unlock the doors: I know this opens the car to others"

    func confirmSend(_ vin: String, _ form: [String: String], _ access: Access) throws -> Response {
        let text = form["action"] ?? ""
        // The action is checked as if unlocking were allowed: the box on this page is the opt-in.
        let (parsed, errors) = ManualAction.parse(text, allowUnlock: true, optIn: .confirmation(Self.unlockOptIn))
        guard let action = parsed else { return refusedSend(vin, text, errors, access) }
        let body = action.body(at: source.now(), timeZone: zone(for: vin))
        let data: [String: Any] = [
            "vin": vin, "action": action.text, "body": StoreJSON.string(body), "who": access.identity,
            "csrf": access.csrf, "unlock": action.command == .doorsUnlock, "unlockLabel": Self.unlockOptIn,
        ]
        return render(title: "Confirm", template: "sendconfirm", data, access: access, vin: vin)
    }

    func send(_ vin: String, _ form: [String: String], _ access: Access) async throws -> Response {
        let text = form["action"] ?? ""
        let (parsed, errors) = ManualAction.parse(text, allowUnlock: form["allow_unlock"] == "yes",
                                                  optIn: .confirmation(Self.unlockOptIn))
        guard let action = parsed else { return refusedSend(vin, text, errors, access) }
        let now = source.now()
        let record: ManualCommandRecord
        do {
            record = try await source.database.enqueueManualCommand(
                action.request(vin: vin, requestedBy: access.identity, via: "console", at: now, timeZone: zone(for: vin)),
                at: now)
        } catch let error as ManualCommandError {
            return render(.notFound, title: "Refused", template: "message",
                          ["kind": "error", "text": "\(error)", "back": "/console/vehicles"], access: access, vin: vin)
        }
        let done = "Queued: \(action.text) for \(vin) (decision \(record.firingId), asked by \(record.requestedBy)). "
            + "The serve sends it like a rule's command; pauses and budgets apply."
        return render(title: "Queued", template: "message",
                      ["kind": "done", "text": done, "back": "/console/decisions/\(record.firingId)"],
                      access: access, vin: vin)
    }

    private func refusedSend(_ vin: String, _ text: String, _ errors: [Diagnostic], _ access: Access) -> Response {
        render(.badRequest, title: "Refused", template: "message",
               ["kind": "error", "text": "The command was not queued.", "detail": ManualAction.render(errors, text: text),
                "back": "/console/vehicles/\(vin)"], access: access, vin: vin)
    }

    /// `charge: {at: "HH:MM"}` is in the time zone of the first bundle that selects the
    /// vehicle (UTC when none does).
    func zone(for vin: String) -> ZoneClock {
        source.rules(for: vin).first.flatMap { ZoneClock(identifier: $0.bundle.timeZone) }
            ?? ZoneClock(timeZone: TimeZone(identifier: "UTC")!)
    }
}
