import Foundation

/// Webhook messages shaped like api-b2c-webhook-template.yaml's `Message` (tests check
/// them against the official schema).
enum SampleMessages {
    static func monitor(vin: String = "VR3UHZKXZLT000001", date: String = "2026-03-02T22:05:00Z",
                        level: String = "18") -> String {
        """
        {"callbackId": "cb-1", "type": "Monitor", "date": "\(date)",
         "attributes": [{"key": "vin", "value": "\(vin)"}],
         "monitorEvent": {"monitorId": "mon-1", "refresh": false,
           "values": [{"data": "vehicle.energy.electric.level",
                       "value": {"type": "string", "body": {"literalValue": "\(level)"}}}]}}
        """
    }

    static func remote(id: String = "ra-1", type: String = "Done", status: String = "Success",
                       date: String = "2026-03-02T22:06:00Z") -> String {
        """
        {"callbackId": "cb-1", "type": "Remote", "date": "\(date)",
         "remoteEvent": {"remoteActionId": "\(id)", "remoteType": "ElectricBatteryChargingRequest",
           "eventStatus": {"type": "\(type)", "status": "\(status)"}}}
        """
    }

    /// Wrong JSON types for schema fields: `type` a number.
    static let wrongType = #"{"type": 5, "date": "2026-03-02T22:05:00Z", "monitorEvent": {"monitorId": "m", "values": []}}"#
    /// A remote event without its id.
    static let remoteWithoutId = #"{"type": "Remote", "remoteEvent": {"eventStatus": {"type": "Done", "status": "Success"}}}"#
}
