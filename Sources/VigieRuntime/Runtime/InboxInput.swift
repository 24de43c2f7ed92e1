import Foundation
import OutcomeStore
import RuleEngine
import StellantisModels
import VehicleData

/// What one stored notification means to the engine loop (docs/serve.md, "Engine loop"),
/// read by `InboundMessage.read` — the one reading of a webhook message, which the
/// receiver checked before storing it and replay `message` lines share:
/// - a monitor event: an observation of its vehicle at the message's `date` — the
///   extended `vehicle.status` / `vehicle.position` data it carries first, then the
///   trigger `values` (`MonitorEventContent.reading()`);
/// - a remote event: the progress of a command (`Pending` / `Done`);
/// - anything else: a reason to set it aside.
/// The vehicle and the date are the row's (what the receiver read, a `vin` query
/// parameter included), so rows stored by any version read alike.
enum InboxInput {
    case observation(vin: String, at: Date, Observation, warnings: [DecodeWarning])
    case remote(DispatchRemoteEvent)
    case unusable(String)

    init(_ row: InboxRecord) {
        guard let body = StoreJSON.parse(row.body), body.objectValue != nil else {
            self = .unusable("the stored notification is not a JSON object")
            return
        }
        let message: InboundMessage
        switch InboundMessage.read(body) {
        case .failure(let problem):
            self = .unusable(problem.text)
            return
        case .success(let read):
            message = read
        }
        switch message.kind {
        case .remote(let event):
            if let problem = event.problem {
                self = .unusable(problem.text)
                return
            }
            self = .remote(DispatchRemoteEvent(remoteActionId: event.remoteActionId!, type: event.statusType ?? "Unknown",
                                               status: event.status!, failureCause: event.failureCause,
                                               eventDate: row.eventDate, inboxId: row.id))
        case .monitor(let event):
            guard let vin = row.vin, !vin.isEmpty else {
                self = .unusable("the notification names no vehicle (no vin attribute nor event vin)")
                return
            }
            let at = row.eventDate.flatMap(Timestamp.parse) ?? row.receivedAt
            let reading = event.reading()
            self = .observation(vin: vin, at: at, reading.observation, warnings: reading.warnings)
        }
    }

    /// What a stored monitor event says (`MonitorEventContent.reading()`), for tests that
    /// build observations the way the loop does.
    static func observation(of event: JSONValue) -> (Observation, [DecodeWarning]) {
        let reading = MonitorEventContent(event: event).reading()
        return (reading.observation, reading.warnings)
    }
}
