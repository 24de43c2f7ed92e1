/// Reads one monitor event — the `monitorEvent` of a B2C `Message` or one of the `events`
/// of a B2B `MonitorEvents` — into an observation, exactly as SEMANTICS.md says a
/// notification is read ("What a firing sends", replay `message` lines). `vigie serve`
/// (inbox → engine) and replay `message` lines both call it, so they cannot drift.
///
/// 1. `extensions` first, in order: each `vehicle.status` body item's `status` updates
///    fields as a status payload does (`StatusDecoder`); each `vehicle.position` body
///    item's `position` is read as the status's `lastPosition`; other extension types
///    update nothing. A body item is the B2B template's `body` object, or each item of the
///    B2C template's `body` array.
/// 2. then `values`, on top (`MonitorValueMapping`).
///
/// Never fails: what cannot be read is left out with a `DecodeWarning`.
public enum MonitorEventReader {
    /// Where a field's value was read (the last place that set it). Its data time is in
    /// `observation.dataTimes`: for `.status`/`.position` the timestamps of that payload
    /// (`StatusDecoder`), for `.values` none (the observation instant).
    public enum Source: Sendable, Hashable {
        /// `extensions[extension]` of type `vehicle.status`, body item `item` (0 for a
        /// B2B body object).
        case status(extension: Int, item: Int)
        /// `extensions[extension]` of type `vehicle.position`, body item `item`.
        case position(extension: Int, item: Int)
        /// The event's `values`.
        case values
    }

    /// What one monitor event says about its vehicle.
    public struct Reading: Sendable, Hashable {
        public var observation = Observation()
        public var warnings: [DecodeWarning] = []
        /// For each field of `observation`, where its value was read.
        public var sources: [FieldID: Source] = [:]

        public init() {}

        mutating func merge(_ decoded: (observation: Observation, warnings: [DecodeWarning]), from source: Source,
                            warningPrefix: String) {
            for (field, value) in decoded.observation.values {
                observation[field] = value
                sources[field] = source
                // The data time goes with the value: a status payload's (nil for `values`:
                // the observation instant, SEMANTICS.md "Data time and age").
                observation.dataTimes[field] = decoded.observation.dataTimes[field]
            }
            warnings += decoded.warnings.map {
                DecodeWarning(field: $0.field, value: $0.value, message: warningPrefix + $0.message)
            }
        }
    }

    /// Reads `event` (a monitor event object). A non-object reads as nothing, with a warning.
    public static func read(_ event: JSONValue) -> Reading { readNode(event) }

    /// An event read in place (a replay `message` line's bytes).
    public static func read(_ event: JSONTape.Node) -> Reading { readNode(event) }

    /// Written once against `JSONNode` (a tree or a tape).
    static func readNode<N: JSONNode>(_ event: N) -> Reading {
        var reading = Reading()
        guard event.isObject else {
            reading.warnings.append(warning("monitorEvent", event, "expected an object; ignored"))
            return reading
        }
        if let extensions = event["extensions"], !extensions.isNull {
            if let items = extensions.arrayItems {
                for (index, item) in items.enumerated() { readExtension(item, index: index, into: &reading) }
            } else {
                reading.warnings.append(warning("extensions", extensions, "expected an array; ignored"))
            }
        }
        if let values = event["values"], !values.isNull {
            if let items = values.arrayItems {
                reading.merge(MonitorValueMapping.decodeNodes(items), from: .values, warningPrefix: "")
            } else {
                reading.warnings.append(warning("values", values, "expected an array; ignored"))
            }
        }
        return reading
    }

    private static func readExtension<N: JSONNode>(_ ext: N, index: Int, into reading: inout Reading) {
        let at = "extensions[\(index)]"
        guard ext.isObject else {
            reading.warnings.append(warning(at, ext, "expected {type, body}; ignored"))
            return
        }
        let type = ext["type"]?.stringValue
        guard type == "vehicle.status" || type == "vehicle.position" else { return }
        let key = type == "vehicle.status" ? "status" : "position"
        let items: [(Int, String, N)]
        guard let body = ext["body"], !body.isNull else { return }
        if body.isObject {
            items = [(0, "\(at).body", body)]
        } else if let list = body.arrayItems {
            items = list.enumerated().map { ($0.offset, "\(at).body[\($0.offset)]", $0.element) }
        } else {
            reading.warnings.append(warning("\(at).body", body, "expected an object; ignored"))
            return
        }
        for (item, path, body) in items {
            guard let payload = body[key], !payload.isNull else { continue }
            guard payload.isObject else {
                reading.warnings.append(warning("\(path).\(key)", payload, "expected an object; ignored"))
                continue
            }
            if key == "status" {
                reading.merge(StatusDecoder.decodeNode(payload), from: .status(extension: index, item: item),
                              warningPrefix: "\(path).status.")
            } else {
                reading.merge(StatusDecoder.decode(JSONValue.object(["lastPosition": payload.jsonValue])),
                              from: .position(extension: index, item: item), warningPrefix: "\(path).position as ")
            }
        }
    }

    private static func warning<N: JSONNode>(_ path: String, _ value: N, _ problem: String) -> DecodeWarning {
        let text = PayloadReader.compactJSON(value.jsonValue)
        return DecodeWarning(field: path, value: text, message: "\(path): \(text): \(problem)")
    }
}
