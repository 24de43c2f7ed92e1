/// The list-valued parts of a status payload: doors, alerts and engines.
extension StatusDecoder {
    /// `doors.locked` exactly per SEMANTICS.md: true when `lockedStates` holds `Locked` or
    /// `SuperLocked` and no state ending in `Unlocked` (case-insensitively: the API also
    /// spells `TrunkUnLocked`). `doors.open`: any `opening[].state` is `Open`.
    static func isLocked(_ states: [String]) -> Bool {
        var locked = false, unlocked = false
        for state in states {
            let folded = state.lowercased()
            if folded == "locked" || folded == "superlocked" { locked = true }
            if folded.hasSuffix("unlocked") { unlocked = true }
        }
        return locked && !unlocked
    }

    static func decodeDoors<N: JSONNode>(_ status: N, _ reader: inout PayloadReader) {
        let doors = reader.object(status["doorsState"], at: "doorsState")
        let lockedPath = "doorsState.lockedStates"
        if let states = reader.array(doors?["lockedStates"], at: lockedPath, field: "doors.locked") {
            var names: [String] = []
            for (i, item) in states.enumerated() {
                if let state = reader.string(item, at: "\(lockedPath)[\(i)]", field: KnownField.doorsLocked) {
                    names.append(state)
                }
            }
            reader.observation[KnownField.doorsLocked] = .bool(isLocked(names))
        }
        let openingPath = "doorsState.opening"
        if let openings = reader.array(doors?["opening"], at: openingPath, field: "doors.open") {
            var open = false, known = false
            for (i, item) in openings.enumerated() {
                let at = "\(openingPath)[\(i)]"
                guard let state = reader.string(reader.object(item, at: at)?["state"], at: at + ".state",
                                                field: KnownField.doorsOpen) else { continue }
                known = true
                if state.lowercased() == "open" { open = true }
            }
            if known || openings.isEmpty { reader.observation[KnownField.doorsOpen] = .bool(open) }
        }
    }

    /// Active alerts: an array of `Alert` objects (those with `active: false` left out)
    /// or of alert names; also the `/alerts` collection shape (`_embedded.alerts`).
    static func decodeAlerts<N: JSONNode>(_ value: N?, _ reader: inout PayloadReader) {
        var value = value
        if let embedded = value?["_embedded"]?["alerts"] { value = embedded }
        guard let items = reader.array(value, at: "alerts", field: "alerts") else { return }
        var names = Set<String>()
        for (i, item) in items.enumerated() {
            let at = "alerts[\(i)]"
            var name = item
            if item.isObject {
                if item["active"]?.boolValue == false { continue }
                guard let type = item["type"] else { continue }
                name = type
            }
            guard let raw = reader.string(name, at: at, field: KnownField.alerts) else { continue }
            reader.checkMember(raw, at: at, field: KnownField.alerts)
            names.insert(raw)
        }
        reader.observation[KnownField.alerts] = .set(names.sorted())
    }

    /// Oil temperature of the first thermic engine (`extension.thermic.oil.temp`, else the
    /// deprecated `oil.temp`); powertrain status from the deprecated `gmpStatus` when the
    /// payload has no `powertrain.status`.
    static func decodeEngines<N: JSONNode>(_ status: N, _ reader: inout PayloadReader) {
        guard let engines = status["engines"], !engines.isNull else { return }
        let items: [N]
        if let a = engines.arrayItems {
            items = a
        } else if engines.isObject {
            items = [engines]
        } else {
            reader.warn(field: "engines", value: engines, at: "engines", "expected an array of engines; ignored")
            return
        }
        for (i, item) in items.enumerated() {
            let at = "engines[\(i)]"
            guard let engine = reader.object(item, at: at) else { continue }
            let type = engine["type"]?.stringValue ?? "Thermic"
            guard type.lowercased() == "thermic" else { continue }
            let modern = engine["extension"]?["thermic"]?["oil"]?["temp"]
            if let modern, !modern.isNull {
                reader.setNumber(modern, at: at + ".extension.thermic.oil.temp", field: KnownField.oilTemperature)
            } else {
                reader.setNumber(engine["oil"]?["temp"], at: at + ".oil.temp", field: KnownField.oilTemperature)
            }
            if reader.observation[KnownField.powertrainStatus] == nil {
                reader.setMember(engine["gmpStatus"], at: at + ".gmpStatus", field: KnownField.powertrainStatus)
            }
            return
        }
    }
}
