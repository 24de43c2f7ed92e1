import VehicleData

extension InboundMessage {
    /// The receiver's fast path: whether the parsed JSON alone shows an item to be a
    /// usable `WebhookMessage` (one that `JSONDecoder` would decode and `validate` would
    /// accept). It is conservative: whenever it is not sure it answers false, and `check`
    /// decodes the item, which also words the precise error of a malformed one.
    package static func hasUsableShape(_ item: JSONValue) -> Bool { usableShape(item) }

    /// The same, on a message read in place (a replay `message` line's bytes).
    package static func hasUsableShape(_ item: JSONTape.Node) -> Bool { usableShape(item) }

    private static func usableShape<N: JSONNode>(_ o: N) -> Bool {
        guard o.isObject, optionalString(o["callbackId"]), optionalString(o["date"]),
              attributesOK(o["attributes"]) else { return false }
        var type: String?
        if let t = present(o["type"]) {
            guard let text = t.stringValue, text == "Monitor" || text == "Remote" else { return false }
            type = text
        }
        let monitor = present(o["monitorEvent"])
        let remote = present(o["remoteEvent"])
        guard monitor != nil || remote != nil else { return false }
        if type == "Monitor", monitor == nil { return false }
        if type == "Remote", remote == nil { return false }
        if let monitor { guard monitorOK(monitor) else { return false } }
        if let remote { guard remoteOK(remote) else { return false } }
        return true
    }

    private static func optionalString<N: JSONNode>(_ value: N?) -> Bool {
        guard let value = present(value) else { return true }
        return value.stringValue != nil
    }

    private static func optionalKind<N: JSONNode>(_ value: N?, _ check: (N) -> Bool) -> Bool {
        guard let value = present(value) else { return true }
        return check(value)
    }

    private static func attributesOK<N: JSONNode>(_ value: N?) -> Bool {
        optionalKind(value) { list in
            guard let items = list.arrayItems else { return false }
            return items.allSatisfy { $0["key"]?.stringValue != nil && $0["value"]?.stringValue != nil }
        }
    }

    private static func monitorOK<N: JSONNode>(_ o: N) -> Bool {
        guard o.isObject else { return false }
        for key in ["monitorId", "fleetId", "vin", "eventDate"] where !optionalString(o[key]) { return false }
        guard optionalKind(o["refresh"], { $0.boolValue != nil }),
              optionalKind(o["extensions"], { $0.arrayItems != nil }) else { return false }
        return optionalKind(o["values"]) { values in
            guard let items = values.arrayItems else { return false }
            return items.allSatisfy(valueOK)
        }
    }

    private static func valueOK<N: JSONNode>(_ o: N) -> Bool {
        guard o.isObject, o["data"]?.stringValue != nil, optionalString(o["previous"]) else { return false }
        return optionalKind(o["value"]) { c in
            guard c.isObject, optionalString(c["type"]) else { return false }
            return optionalKind(c["body"]) { b in
                guard b.isObject, optionalString(b["literalValue"]) else { return false }
                return optionalKind(b["objectValues"]) { $0.arrayItems != nil }
            }
        }
    }

    private static func remoteOK<N: JSONNode>(_ o: N) -> Bool {
        guard o.isObject, o["remoteActionId"]?.stringValue != nil else { return false }
        for key in ["remoteType", "vin", "eventDate"] where !optionalString(o[key]) { return false }
        guard let s = o["eventStatus"], s.isObject, s["type"]?.stringValue != nil, s["status"]?.stringValue != nil,
              optionalString(s["failureCause"]), optionalString(s["feedbackDetail"]) else { return false }
        return true
    }
}
