import Foundation
import OutcomeStore
import RuleEngine
import VehicleData

/// What one stored notification means to the engine loop (docs/serve.md, "Engine loop"):
/// - a monitor event: an observation of its vehicle at the message's `date` — the
///   extended `vehicle.status` / `vehicle.position` data it carries first, then the
///   trigger `values` (`MonitorEventReader`, shared with replay `message` lines);
/// - a remote event: the progress of a command (`Pending` / `Done`);
/// - anything else: a reason to set it aside.
enum InboxInput {
    case observation(vin: String, at: Date, Observation, warnings: [DecodeWarning])
    case remote(DispatchRemoteEvent)
    case unusable(String)

    init(_ row: InboxRecord) {
        guard let body = StoreJSON.parse(row.body), body.objectValue != nil else {
            self = .unusable("the stored notification is not a JSON object")
            return
        }
        if let remote = body["remoteEvent"], !remote.isNull {
            self = Self.remote(remote, row: row)
            return
        }
        guard let event = body["monitorEvent"], !event.isNull else {
            self = .unusable("neither monitorEvent nor remoteEvent")
            return
        }
        guard let vin = row.vin, !vin.isEmpty else {
            self = .unusable("the notification names no vehicle (no vin attribute nor event vin)")
            return
        }
        let at = row.eventDate.flatMap(Timestamp.parse) ?? row.receivedAt
        let (observation, warnings) = Self.observation(of: event)
        self = .observation(vin: vin, at: at, observation, warnings: warnings)
    }

    private static func remote(_ event: JSONValue, row: InboxRecord) -> InboxInput {
        guard let id = event["remoteActionId"]?.stringValue else { return .unusable("remoteEvent without remoteActionId") }
        let status = event["eventStatus"]
        let type = status?["type"]?.stringValue ?? "Unknown"
        guard let value = status?["status"]?.stringValue else {
            return .unusable("remoteEvent without eventStatus.status")
        }
        return .remote(DispatchRemoteEvent(remoteActionId: id, type: type, status: value,
                                           failureCause: status?["failureCause"]?.stringValue,
                                           eventDate: row.eventDate, inboxId: row.id))
    }

    /// The extended data first (the latest known state), then the values that caused
    /// the event on top: `MonitorEventReader`, the function replay `message` lines use too.
    static func observation(of event: JSONValue) -> (Observation, [DecodeWarning]) {
        let reading = MonitorEventReader.read(event)
        return (reading.observation, reading.warnings)
    }
}
