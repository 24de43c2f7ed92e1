import RuleEngine
import StellantisModels
import VehicleData

extension ReplayEvents {
    /// A `status` or `message` line read in place from its bytes (`JSONTape`): the event
    /// `parseLine` gives for the same line, by the same code — `StatusDecoder`; for a
    /// message, the event it carries (`InboundMessage`'s rule) and `MonitorEventReader` —
    /// on the tape's nodes instead of a `JSONValue`. It takes the messages the receiver's
    /// fast check accepts (`InboundMessage.hasUsableShape`), all of which `read` reads.
    /// Nil for any other line and whenever something is amiss (an unknown key, a bad
    /// timestamp, a message the check's fast path does not accept…): the general way then
    /// reads the line and words its error.
    static func parseTapeLine(_ root: JSONTape.Node, line n: Int) -> ReplayEvent? {
        // Exactly `at`, `vin` and one body, each once (anything else: the general way).
        guard root.memberCount == 3, root["set"] == nil, let atText = root["at"]?.stringValue,
              let at = RFC3339.parse(atText), let vin = root["vin"]?.stringValue, !vin.isEmpty else { return nil }
        switch (root["status"], root["message"]) {
        case (let status?, nil):
            guard status.isObject else { return nil }
            let decoded = StatusDecoder.decode(status)
            return ReplayEvent(line: n, at: at, vin: vin, kind: .status, observation: decoded.observation,
                               warnings: decoded.warnings)
        case (nil, let message?):
            guard let (observation, warnings) = tapeMessage(message) else { return nil }
            return ReplayEvent(line: n, at: at, vin: vin, kind: .message, observation: observation, warnings: warnings)
        default:
            return nil
        }
    }

    /// `parseMessage` on a tape, for messages the receiver's fast check accepts (and a
    /// monitor event with `values`).
    private static func tapeMessage(_ body: JSONTape.Node) -> (Observation, [DecodeWarning])? {
        var observation = Observation(), warnings: [DecodeWarning] = []
        for item in body.arrayItems ?? [body] {
            guard item.isObject, InboundMessage.hasUsableShape(item) else { return nil }
            guard let event = InboundMessage.monitorEvent(ofUsable: item) else { continue }
            guard event["values"]?.arrayItems != nil else { return nil }
            merge(MonitorEventReader.read(event), into: &observation, &warnings)
        }
        return (observation, warnings)
    }

    /// A monitor event's reading on top of what the messages before it in the line said:
    /// each value with its data time (none: the observation instant).
    static func merge(_ reading: MonitorEventReader.Reading, into observation: inout Observation,
                      _ warnings: inout [DecodeWarning]) {
        for (field, value) in reading.observation.values {
            observation[field] = value
            observation.dataTimes[field] = reading.observation.dataTimes[field]
        }
        warnings += reading.warnings
    }
}
