/// The data time of each value a status payload gives (SEMANTICS.md "Data time and
/// age"): the `updatedAt`, else `createdAt`, of the innermost object on the value's path
/// that has one, else the payload's own, else none (the observation instant).
extension StatusDecoder {
    /// Sets `observation.dataTimes` for the fields of `observation` read from `status`.
    /// Read without warnings: a timestamp that is not RFC 3339 counts as absent.
    static func assignDataTimes<N: JSONNode>(_ status: N, to observation: inout Observation) {
        let own = time(of: status)
        func assign(_ fields: [FieldID], _ objects: [N?]) {
            guard let t = objects.lazy.compactMap({ time(of: $0) }).first ?? own else { return }
            for f in fields where observation.values[f] != nil { observation.dataTimes[f] = t }
        }
        // Energies: the entry the value came from (the first electric, the first fuel);
        // `autonomy`, a sum, has the oldest data time of the entries it adds.
        var electric: N?, fuel: N?
        var autonomyTimes: [Int64?] = []
        for entry in energyEntries(status) {
            let kind = entry["type"]?.stringValue?.lowercased()
            if kind == "electric" && electric == nil { electric = entry } else if kind == "fuel" && fuel == nil { fuel = entry }
            if let autonomy = entry["autonomy"], autonomy.doubleValue != nil { autonomyTimes.append(time(of: entry) ?? own) }
        }
        if let electric {
            assign([KnownField.batteryLevel, KnownField.batteryAutonomy], [electric])
            // charging.*: the charging object read (itself inside the entry), else the entry.
            assign([KnownField.chargingPlugged, KnownField.chargingStatus, KnownField.chargingMode,
                    KnownField.chargingType, KnownField.chargingPowerLevel, KnownField.chargingRate,
                    KnownField.chargingRemainingTime],
                   [electric["charging"], electric["extension"]?["electric"]?["charging"], electric])
            // battery.health*: `health` (the schema dates it), its `battery`, else the entry;
            // the spelling the values were read from (`battery`, else the extension's).
            let health = healthSource(electric)
            assign([KnownField.batteryHealth, KnownField.batteryHealthResistance],
                   [health?["health"], health, electric])
        }
        if fuel != nil { assign([KnownField.fuelLevel, KnownField.fuelAutonomy], [fuel]) }
        if observation.values[KnownField.autonomy] != nil, !autonomyTimes.isEmpty, !autonomyTimes.contains(nil) {
            observation.dataTimes[KnownField.autonomy] = autonomyTimes.compactMap { $0 }.min()
        }
        let environment = status["environment"]
        assign([KnownField.speed, KnownField.moving], [status["kinetic"]])
        assign([KnownField.odometer], [status["odometer"]])
        assign([KnownField.outsideTemperature], [environment?["air"], environment])
        assign([KnownField.ignition], [status["ignition"]])
        assign([KnownField.privacy], [status["privacy"]])
        assign([KnownField.drivingMode], [status["drivingBehavior"]])
        assign([KnownField.powertrainStatus], [status["powertrain"]])
        assign([KnownField.auxBatteryHealth], [status["battery"]])
        // The spelling the value was read from.
        var preconditioning: N?
        var airConditioning: N?
        for key in ["preconditioning", "preconditionning"] {
            if let v = status[key]?["airConditioning"]?["status"], !v.isNull {
                preconditioning = status[key]
                airConditioning = status[key]?["airConditioning"]
                break
            }
        }
        // The schema dates `airConditioning`, inside `preconditioning`: innermost first.
        assign([KnownField.preconditioningStatus], [airConditioning, preconditioning])
        assign([KnownField.doorsLocked, KnownField.doorsOpen], [status["doorsState"]])
        assign([KnownField.alarmActive], [status["alarm"]?["status"], status["alarm"]])
        assign([KnownField.alarmTrigger], [status["alarm"]?["trigger"], status["alarm"]])
        assign([KnownField.position], [status["lastPosition"]?["properties"]])
        assign([KnownField.alerts, KnownField.oilTemperature], [])
    }

    /// The `battery` object whose `health` the decoder read first: the entry's own, else
    /// its `extension.electric.battery`.
    static func healthSource<N: JSONNode>(_ electric: N) -> N? {
        let direct = electric["battery"]
        if let h = direct?["health"], h.isObject,
           [h["capacity"], h["resistance"]].contains(where: { $0 != nil && $0?.isNull == false }) {
            return direct
        }
        return electric["extension"]?["electric"]?["battery"]
    }

    /// `updatedAt`, else `createdAt`, of `object` when it is an object with one that reads
    /// as RFC 3339.
    static func time<N: JSONNode>(of object: N?) -> Int64? {
        guard let object, object.isObject else { return nil }
        for key in ["updatedAt", "createdAt"] {
            if let text = object[key]?.stringValue, let t = RFC3339Time.parse(text) { return t }
        }
        return nil
    }

    /// The energy entries as `energyEntries(_:_:)` selects them, without warnings.
    static func energyEntries<N: JSONNode>(_ status: N) -> [N] {
        var silent = PayloadReader()
        return energyEntries(status, &silent).map(\.entry)
    }
}
