/// The data time of each value a status payload gives (SEMANTICS.md "Data time and
/// age"): the `updatedAt`, else `createdAt`, of the innermost object on the value's path
/// that has one, else the payload's own, else none (the observation instant).
extension StatusDecoder {
    /// Sets `observation.dataTimes` for the fields of `observation` read from `status`.
    /// Read without warnings: a timestamp that is not RFC 3339 counts as absent.
    static func assignDataTimes<N: JSONNode>(_ status: N, to observation: inout Observation) {
        guard !observation.values.isEmpty else { return }
        let own = time(of: status)
        // The fields read, as bits (the catalog's first 64; a lookup for any beyond).
        var read: UInt64 = 0
        for field in observation.values.keys where field.index < 64 { read |= 1 << UInt64(field.index) }
        let values = observation.values
        func has(_ field: FieldID) -> Bool {
            field.index < 64 ? read & (1 << UInt64(field.index)) != 0 : values[field] != nil
        }
        // The objects are looked at only when one of the fields was read (most are not).
        func assign(_ fields: [FieldID], _ a: @autoclosure () -> N? = nil, _ b: @autoclosure () -> N? = nil,
                    _ c: @autoclosure () -> N? = nil) {
            guard fields.contains(where: has),
                  let t = time(of: a()) ?? time(of: b()) ?? time(of: c()) ?? own else { return }
            for f in fields where has(f) { observation.dataTimes[f] = t }
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
            assign(Fields.battery, electric)
            // charging.*: the charging object read (itself inside the entry), else the entry.
            assign(Fields.charging, electric["charging"], electric["extension"]?["electric"]?["charging"], electric)
            // battery.health*: `health` (the schema dates it), its `battery`, else the entry;
            // the spelling the values were read from (`battery`, else the extension's).
            if Fields.health.contains(where: has) {
                let health = healthSource(electric)
                assign(Fields.health, health?["health"], health, electric)
            }
        }
        if fuel != nil { assign(Fields.fuel, fuel) }
        if has(KnownField.autonomy), !autonomyTimes.isEmpty, !autonomyTimes.contains(nil) {
            observation.dataTimes[KnownField.autonomy] = autonomyTimes.compactMap { $0 }.min()
        }
        assign(Fields.kinetic, status["kinetic"])
        assign(Fields.odometer, status["odometer"])
        assign(Fields.outsideTemperature, status["environment"]?["air"], status["environment"])
        assign(Fields.ignition, status["ignition"])
        assign(Fields.privacy, status["privacy"])
        assign(Fields.drivingMode, status["drivingBehavior"])
        assign(Fields.powertrain, status["powertrain"])
        assign(Fields.auxBattery, status["battery"])
        if has(KnownField.preconditioningStatus) {
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
            assign(Fields.preconditioning, airConditioning, preconditioning)
        }
        assign(Fields.doors, status["doorsState"])
        assign(Fields.alarmActive, status["alarm"]?["status"], status["alarm"])
        assign(Fields.alarmTrigger, status["alarm"]?["trigger"], status["alarm"])
        assign(Fields.position, status["lastPosition"]?["properties"])
        assign(Fields.undated)
    }

    /// The fields dated by each object (built once, not per payload).
    private enum Fields {
        static let battery = [KnownField.batteryLevel, KnownField.batteryAutonomy]
        static let charging = [KnownField.chargingPlugged, KnownField.chargingStatus, KnownField.chargingMode,
                               KnownField.chargingType, KnownField.chargingPowerLevel, KnownField.chargingRate,
                               KnownField.chargingRemainingTime]
        static let health = [KnownField.batteryHealth, KnownField.batteryHealthResistance]
        static let fuel = [KnownField.fuelLevel, KnownField.fuelAutonomy]
        static let kinetic = [KnownField.speed, KnownField.moving]
        static let odometer = [KnownField.odometer]
        static let outsideTemperature = [KnownField.outsideTemperature]
        static let ignition = [KnownField.ignition]
        static let privacy = [KnownField.privacy]
        static let drivingMode = [KnownField.drivingMode]
        static let powertrain = [KnownField.powertrainStatus]
        static let auxBattery = [KnownField.auxBatteryHealth]
        static let preconditioning = [KnownField.preconditioningStatus]
        static let doors = [KnownField.doorsLocked, KnownField.doorsOpen]
        static let alarmActive = [KnownField.alarmActive]
        static let alarmTrigger = [KnownField.alarmTrigger]
        static let position = [KnownField.position]
        /// Read from no dated object: the payload's own time.
        static let undated = [KnownField.alerts, KnownField.oilTemperature]
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
        var silent = PayloadReader(observation: Observation(), warnings: [])
        return energyEntries(status, &silent).map(\.entry)
    }
}
