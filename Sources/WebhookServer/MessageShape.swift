import VehicleData

/// The receiver's fast path: decides from the parsed JSON alone that an item is a usable
/// `WebhookMessage` (one that `JSONDecoder` would decode and `NotificationParser.validate`
/// would accept) and reads what the inbox needs. It is conservative: whenever it is not
/// sure, it answers nil and the parser takes the full decoding path, which also writes
/// the precise error of a malformed item.
struct MessageShape: Equatable {
    var vin: String?
    var type: String?
    var eventDate: String?

    init?(_ item: JSONValue) {
        guard case .object(let o) = item, Self.optionalString(o["callbackId"]), Self.optionalString(o["date"]),
              Self.attributesOK(o["attributes"]) else { return nil }
        var type: String?
        switch o["type"] {
        case nil, .null?: type = nil
        case .string(let t)? where t == "Monitor" || t == "Remote": type = t
        default: return nil
        }
        let monitor = Self.present(o["monitorEvent"])
        let remote = Self.present(o["remoteEvent"])
        guard monitor != nil || remote != nil else { return nil }
        if type == "Monitor", monitor == nil { return nil }
        if type == "Remote", remote == nil { return nil }
        if let monitor { guard Self.monitorOK(monitor) else { return nil } }
        if let remote { guard Self.remoteOK(remote) else { return nil } }
        self.type = type
        let vinAttribute = o["attributes"]?.arrayValue?.first { $0["key"]?.stringValue?.lowercased() == "vin" }?["value"]?.stringValue
        vin = (vinAttribute?.isEmpty == false ? vinAttribute : nil)
            ?? monitor?["vin"]?.stringValue ?? remote?["vin"]?.stringValue
        eventDate = o["date"]?.stringValue ?? monitor?["eventDate"]?.stringValue ?? remote?["eventDate"]?.stringValue
    }

    private static func present(_ value: JSONValue?) -> JSONValue? {
        guard let value, value != .null else { return nil }
        return value
    }

    private static func optionalString(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?, .string?: return true
        default: return false
        }
    }

    private static func optionalKind(_ value: JSONValue?, _ check: (JSONValue) -> Bool) -> Bool {
        guard let value = present(value) else { return true }
        return check(value)
    }

    private static func attributesOK(_ value: JSONValue?) -> Bool {
        optionalKind(value) { list in
            guard case .array(let items) = list else { return false }
            return items.allSatisfy { $0["key"]?.stringValue != nil && $0["value"]?.stringValue != nil }
        }
    }

    private static func monitorOK(_ m: JSONValue) -> Bool {
        guard case .object(let o) = m else { return false }
        for key in ["monitorId", "fleetId", "vin", "eventDate"] where !optionalString(o[key]) { return false }
        guard optionalKind(o["refresh"], { $0.boolValue != nil }),
              optionalKind(o["extensions"], { $0.arrayValue != nil }) else { return false }
        return optionalKind(o["values"]) { values in
            guard case .array(let items) = values else { return false }
            return items.allSatisfy(valueOK)
        }
    }

    private static func valueOK(_ v: JSONValue) -> Bool {
        guard case .object(let o) = v, o["data"]?.stringValue != nil, optionalString(o["previous"]) else { return false }
        return optionalKind(o["value"]) { content in
            guard case .object(let c) = content, optionalString(c["type"]) else { return false }
            return optionalKind(c["body"]) { body in
                guard case .object(let b) = body, optionalString(b["literalValue"]) else { return false }
                return optionalKind(b["objectValues"]) { $0.arrayValue != nil }
            }
        }
    }

    private static func remoteOK(_ r: JSONValue) -> Bool {
        guard case .object(let o) = r, o["remoteActionId"]?.stringValue != nil else { return false }
        for key in ["remoteType", "vin", "eventDate"] where !optionalString(o[key]) { return false }
        guard case .object(let s)? = o["eventStatus"], s["type"]?.stringValue != nil, s["status"]?.stringValue != nil,
              optionalString(s["failureCause"]), optionalString(s["feedbackDetail"]) else { return false }
        return true
    }
}
