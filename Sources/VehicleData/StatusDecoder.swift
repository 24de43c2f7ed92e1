/// Decodes a `GET .../status` payload — in the schema's shape or the real-world shape of
/// stellantis-api/README.md — into an observation (SEMANTICS.md "Fields").
///
/// Tolerated, as real vehicles send them: `energy` (an array or one object) instead of
/// `energies`; `charging` directly in the electric entry instead of under
/// `extension.electric.charging`; `preconditionning`; enum values the schema lacks (kept
/// as `.member(raw)`, with a warning); GeoJSON coordinates with an altitude; extra fields.
/// A `null` or missing value is absent from the observation. A value of the wrong type
/// is absent too, with a `DecodeWarning`. Each value gets its data time when the payload
/// says it (`StatusDecoder+DataTimes`). Never traps, whatever the input.
///
/// Written once against `JSONNode`: a payload parsed into a `JSONValue` tree and one read
/// in place from a replay line's bytes (`JSONTape`) are decoded by the same code.
public enum StatusDecoder {
    public static func decode(_ status: JSONValue) -> (observation: Observation, warnings: [DecodeWarning]) {
        decodeNode(status)
    }

    /// A payload read in place (a replay `status` line's bytes).
    public static func decode(_ status: JSONTape.Node) -> (observation: Observation, warnings: [DecodeWarning]) {
        decodeNode(status)
    }

    static func decodeNode<N: JSONNode>(_ status: N) -> (observation: Observation, warnings: [DecodeWarning]) {
        var reader = PayloadReader()
        guard status.isObject else {
            if !status.isNull { reader.warn(field: "status", value: status, at: "status", "expected an object; ignored") }
            return (reader.observation, reader.warnings)
        }
        decodeEnergies(status, &reader)
        decodeVehicleState(status, &reader)
        decodeDoors(status, &reader)
        decodeAlarm(status, &reader)
        decodeAlerts(status["alerts"], &reader)
        decodeEngines(status, &reader)
        decodePosition(status, &reader)
        assignDataTimes(status, to: &reader.observation)
        return (reader.observation, reader.warnings)
    }

    // MARK: energies

    /// Entries of `energies`, else of `energy` (array or a single object), with the key
    /// and index they were found at (for warnings).
    static func energyEntries<N: JSONNode>(_ status: N, _ reader: inout PayloadReader)
        -> [(key: String, index: Int, entry: N)] {
        for key in ["energies", "energy"] {
            guard let value = status[key], !value.isNull else { continue }
            let items: [N]
            if let a = value.arrayItems {
                items = a
            } else if value.isObject {
                items = [value]
            } else {
                reader.warn(field: key, value: value, at: key, "expected an array of energies; ignored")
                continue
            }
            if items.isEmpty { continue }
            var out: [(String, Int, N)] = []
            for (i, item) in items.enumerated() {
                if let entry = reader.object(item, at: "\(key)[\(i)]") { out.append((key, i, entry)) }
            }
            return out
        }
        return []
    }

    static func decodeEnergies<N: JSONNode>(_ status: N, _ reader: inout PayloadReader) {
        var sum: Double?
        var sawElectric = false, sawFuel = false
        for (key, index, entry) in energyEntries(status, &reader) {
            let path = { "\(key)[\(index)]" }
            let kind = entry["type"]?.stringValue?.lowercased()
            let autonomyField: FieldID
            switch kind {
            case "electric" where !sawElectric:
                sawElectric = true
                autonomyField = KnownField.batteryAutonomy
                reader.setNumber(entry["level"], at: path() + ".level", field: KnownField.batteryLevel)
                decodeCharging(entry, at: path, &reader)
                decodeBatteryHealth(entry, at: path, &reader)
            case "fuel" where !sawFuel:
                sawFuel = true
                autonomyField = KnownField.fuelAutonomy
                reader.setNumber(entry["level"], at: path() + ".level", field: KnownField.fuelLevel)
            default:
                autonomyField = KnownField.autonomy
            }
            if let autonomy = reader.number(entry["autonomy"], at: path() + ".autonomy", field: autonomyField) {
                if autonomyField != KnownField.autonomy { reader.observation[autonomyField] = .number(autonomy) }
                sum = (sum ?? 0) + autonomy
            }
        }
        if let sum, sum.isFinite { reader.observation[KnownField.autonomy] = .number(sum) }
    }

    /// The electric entry's `charging`, key by key, else its `extension.electric.charging`.
    static func decodeCharging<N: JSONNode>(_ entry: N, at path: @escaping () -> String, _ reader: inout PayloadReader) {
        let direct = reader.object(entry["charging"], at: path() + ".charging")
        let nested = reader.object(entry["extension"]?["electric"]?["charging"],
                                   at: path() + ".extension.electric.charging")
        func pick(_ key: String) -> (N?, () -> String) {
            if let v = direct?[key], !v.isNull { return (v, { "\(path()).charging.\(key)" }) }
            return (nested?[key], { "\(path()).extension.electric.charging.\(key)" })
        }
        var (value, at) = pick("plugged")
        reader.setBool(value, at: at(), field: KnownField.chargingPlugged)
        (value, at) = pick("status")
        reader.setMember(value, at: at(), field: KnownField.chargingStatus)
        (value, at) = pick("chargingMode")
        reader.setMember(value, at: at(), field: KnownField.chargingMode)
        (value, at) = pick("type")
        reader.setMember(value, at: at(), field: KnownField.chargingType)
        (value, at) = pick("chargingPowerLevel")
        reader.setMember(value, at: at(), field: KnownField.chargingPowerLevel)
        (value, at) = pick("chargingRate")
        reader.setNumber(value, at: at(), field: KnownField.chargingRate)
        (value, at) = pick("remainingTime")
        if let text = reader.string(value, at: at(), field: KnownField.chargingRemainingTime) {
            if let seconds = ISODuration.seconds(text) {
                reader.observation[KnownField.chargingRemainingTime] = .number(seconds)
            } else {
                reader.warn(field: KnownField.chargingRemainingTime, value: JSONValue.string(text), at: at(),
                            "not an ISO 8601 duration like PT1H30M; ignored")
            }
        }
    }

    /// The electric entry's `battery.health`, key by key, else its
    /// `extension.electric.battery.health` (the schema's place).
    static func decodeBatteryHealth<N: JSONNode>(_ entry: N, at path: @escaping () -> String, _ reader: inout PayloadReader) {
        let direct = reader.object(reader.object(entry["battery"], at: path() + ".battery")?["health"],
                                   at: path() + ".battery.health")
        let nestedBattery = reader.object(entry["extension"]?["electric"]?["battery"],
                                          at: path() + ".extension.electric.battery")
        let nested = reader.object(nestedBattery?["health"], at: path() + ".extension.electric.battery.health")
        for (key, field) in [("capacity", KnownField.batteryHealth), ("resistance", KnownField.batteryHealthResistance)] {
            if let v = direct?[key], !v.isNull {
                reader.setNumber(v, at: "\(path()).battery.health.\(key)", field: field)
            } else {
                reader.setNumber(nested?[key], at: "\(path()).extension.electric.battery.health.\(key)", field: field)
            }
        }
    }

    // MARK: plain paths

    static func decodeVehicleState<N: JSONNode>(_ status: N, _ reader: inout PayloadReader) {
        let kinetic = reader.object(status["kinetic"], at: "kinetic")
        reader.setNumber(kinetic?["speed"], at: "kinetic.speed", field: KnownField.speed)
        reader.setBool(kinetic?["moving"], at: "kinetic.moving", field: KnownField.moving)
        let odometer = reader.object(status["odometer"], at: "odometer")
        reader.setNumber(odometer?["mileage"], at: "odometer.mileage", field: KnownField.odometer)
        let air = reader.object(reader.object(status["environment"], at: "environment")?["air"], at: "environment.air")
        reader.setNumber(air?["temp"], at: "environment.air.temp", field: KnownField.outsideTemperature)
        let ignition = reader.object(status["ignition"], at: "ignition")
        reader.setMember(ignition?["type"], at: "ignition.type", field: KnownField.ignition)
        let privacy = reader.object(status["privacy"], at: "privacy")
        reader.setMember(privacy?["state"], at: "privacy.state", field: KnownField.privacy)
        let driving = reader.object(status["drivingBehavior"], at: "drivingBehavior")
        reader.setMember(driving?["mode"], at: "drivingBehavior.mode", field: KnownField.drivingMode)
        let battery = reader.object(status["battery"], at: "battery")
        reader.setNumber(battery?["voltage"], at: "battery.voltage", field: KnownField.auxBatteryHealth)
        let powertrain = reader.object(status["powertrain"], at: "powertrain")
        reader.setMember(powertrain?["status"], at: "powertrain.status", field: KnownField.powertrainStatus)
        for key in ["preconditioning", "preconditionning"] {
            let air = reader.object(reader.object(status[key], at: key)?["airConditioning"], at: key + ".airConditioning")
            guard let value = air?["status"], !value.isNull else { continue }
            reader.setMember(value, at: key + ".airConditioning.status", field: KnownField.preconditioningStatus)
            break
        }
    }

    static func decodeAlarm<N: JSONNode>(_ status: N, _ reader: inout PayloadReader) {
        let alarm = reader.object(status["alarm"], at: "alarm")
        let alarmStatus = reader.object(alarm?["status"], at: "alarm.status")
        let path = "alarm.status.activation"
        if let activation = reader.string(alarmStatus?["activation"], at: path, field: KnownField.alarmActive) {
            reader.observation[KnownField.alarmActive] = .bool(activation == "Active")
            if activation != "Active" && activation != "Inactive" {
                reader.warn(field: KnownField.alarmActive, value: JSONValue.string(activation), at: path,
                            "not Active or Inactive; read as not active")
            }
        }
        let trigger = reader.object(alarm?["trigger"], at: "alarm.trigger")
        reader.setMember(trigger?["type"], at: "alarm.trigger.type", field: KnownField.alarmTrigger)
    }

    static func decodePosition<N: JSONNode>(_ status: N, _ reader: inout PayloadReader) {
        let position = reader.object(status["lastPosition"], at: "lastPosition")
        let geometry = reader.object(position?["geometry"], at: "lastPosition.geometry")
        let path = "lastPosition.geometry.coordinates"
        guard let value = geometry?["coordinates"], !value.isNull else { return }
        guard let items = value.arrayItems, items.count >= 2,
              let lon = items[0].doubleValue, let lat = items[1].doubleValue,
              (-180...180).contains(lon), (-90...90).contains(lat) else {
            reader.warn(field: KnownField.position, value: value, at: path,
                        "expected [longitude, latitude, altitude?] in degrees; ignored")
            return
        }
        reader.observation[KnownField.position] = .point(latitude: lat, longitude: lon)
    }
}
