import Foundation
import VehicleData

/// Validates a `MonitorParameter` body the way the real API does and turns it into a
/// `MonitorSpec`: 1–5 triggers with unique names, each exactly one of zone/time/data,
/// data ops the path accepts, a well-formed `boolExp` naming declared triggers only and
/// neither always true nor always false.
enum MonitorParser {
    static let namePattern = try! NSRegularExpression(pattern: "^[A-Za-z]+[._-]?[0-9]*$")

    /// `extendedEventParam` values (api-b2c.yaml, api-b2b.yaml).
    static let b2cExtensions: Set<String> = ["vehicle.doorsState", "vehicle.status", "vehicle.maintenance", "vehicle.position",
                                             "vehicle.telemetry", "vehicle.alerts", "vehicle.alarm", "vehicle.trip"]
    static let b2bExtensions: Set<String> = ["vehicle.doorsState", "vehicle.status", "vehicle.maintenance", "vehicle.position",
                                             "vehicle.telemetry", "vehicle.alerts", "vehicle.collisions", "vehicle.trip",
                                             "vehicle.stolen"]
    /// Longest `refreshEvent` (seconds) and time-window `duration`s accepted: beyond, the
    /// simulated clock could not count them (the spec sets no maximum).
    static let maxSeconds: TimeInterval = 2_147_483_647
    static let maxDailyDuration: TimeInterval = 7 * 86400
    static let maxDuration: TimeInterval = 100 * 365 * 86400

    static func parse(_ body: JSONValue, b2b: Bool) -> Result<MonitorSpec, SimAPIError> {
        do { return .success(try parseThrowing(body, b2b: b2b)) } catch let e as SimAPIError { return .failure(e) } catch {
            return .failure(.invalid("\(error)"))
        }
    }

    private static func parseThrowing(_ body: JSONValue, b2b: Bool) throws -> MonitorSpec {
        guard let o = body.objectValue else { throw SimAPIError.invalid("the monitor body must be an object") }
        guard let label = o["label"]?.stringValue else { throw SimAPIError.invalid("label is required") }
        guard let param = o["triggerParam"]?.objectValue else { throw SimAPIError.invalid("triggerParam is required") }
        guard let triggerList = param["triggers"]?.arrayValue else { throw SimAPIError.invalid("triggerParam.triggers is required") }
        guard (1...5).contains(triggerList.count) else { throw SimAPIError.triggerCount(triggerList.count) }
        var triggers: [MonitorSpec.Trigger] = []
        for t in triggerList {
            let trigger = try parseTrigger(t)
            if triggers.contains(where: { $0.name == trigger.name }) {
                throw SimAPIError.triggerName("Trigger name '\(trigger.name)' is used twice")
            }
            triggers.append(trigger)
        }
        guard let expText = param["boolExp"]?.stringValue else { throw SimAPIError.invalid("triggerParam.boolExp is required") }
        let exp: SimBoolExpr
        switch SimBoolExpr.parse(expText) {
        case .success(let e): exp = e
        case .failure(let e): throw SimAPIError.boolExpSyntax(e.message)
        }
        for name in exp.names.sorted() where !triggers.contains(where: { $0.name == name }) {
            throw SimAPIError.undeclaredTrigger(name)
        }
        if let constant = exp.constantValue { throw SimAPIError.trivialBoolExp(constant) }
        let subscribe = o["subscribeParam"]
        var refresh: TimeInterval?
        if let r = subscribe?["refreshEvent"], r != .null {
            guard let seconds = r.doubleValue, seconds == seconds.rounded(), seconds >= 60, seconds <= maxSeconds else {
                throw SimAPIError.invalid("subscribeParam.refreshEvent must be an integer from 60 to \(Int(maxSeconds)) seconds")
            }
            refresh = seconds
        }
        var fleetCallback: CallbackSpec?
        if b2b {
            guard let subscribe else { throw SimAPIError.invalid("subscribeParam is required") }
            switch CallbackSpec.parse(subscribe, b2b: true) {
            case .success(let cb): fleetCallback = cb
            case .failure(let e): throw e
            }
        }
        var extended: [String] = []
        if let list = o["extendedEventParam"], list != .null {
            let kinds = b2b ? b2bExtensions : b2cExtensions
            guard let items = list.arrayValue, items.allSatisfy({ $0.stringValue.map(kinds.contains) ?? false }) else {
                throw SimAPIError.invalid("extendedEventParam must be an array of \(kinds.sorted().joined(separator: ", "))")
            }
            extended = items.compactMap(\.stringValue)
        }
        let attributes = try CallbackSpec.attributes(o["attributes"], "attributes", types: ["Header", "Body", "Query"])
        return MonitorSpec(label: label, refreshEvent: refresh, extendedEventParam: extended, attributes: attributes,
                           triggers: triggers, boolExp: exp, raw: body, fleetCallback: fleetCallback)
    }

    private static func parseTrigger(_ t: JSONValue) throws -> MonitorSpec.Trigger {
        guard let name = t["name"]?.stringValue else { throw SimAPIError.triggerName("Every trigger needs a name") }
        let range = NSRange(name.startIndex..., in: name)
        guard namePattern.firstMatch(in: name, range: range) != nil else {
            throw SimAPIError.triggerName("Trigger name '\(name)' must be letters, an optional separator, digits")
        }
        let kinds = ["zone", "time", "data"].filter { t[$0] != nil && t[$0] != .null }
        guard kinds.count == 1 else {
            throw SimAPIError.invalidTrigger(name, "exactly one of zone, time or data is required, got \(kinds.count)")
        }
        switch kinds[0] {
        case "zone": return MonitorSpec.Trigger(name: name, kind: try zone(name, t["zone"]!))
        case "time": return MonitorSpec.Trigger(name: name, kind: try time(name, t["time"]!))
        default: return MonitorSpec.Trigger(name: name, kind: try data(name, t["data"]!))
        }
    }

    private static func zone(_ name: String, _ z: JSONValue) throws -> MonitorSpec.Kind {
        guard let transition = z["transition"]?.stringValue, transition == "In" || transition == "Out" else {
            throw SimAPIError.invalidTrigger(name, "zone.transition must be In or Out")
        }
        guard let place = z["place"] ?? z["circle"], let radius = place["radius"]?.doubleValue,
              radius == radius.rounded(), radius >= 1 else {
            throw SimAPIError.invalidTrigger(name, "zone.place.radius must be a whole number of km, at least 1")
        }
        guard let lat = place["center"]?["latitude"]?.doubleValue, let lon = place["center"]?["longitude"]?.doubleValue,
              (-90...90).contains(lat), (-180...180).contains(lon) else {
            throw SimAPIError.invalidTrigger(name, "zone.place.center needs latitude and longitude")
        }
        return .zone(inside: transition == "In", center: GeoCoordinate(latitude: lat, longitude: lon), radiusKm: radius)
    }

    private static func data(_ name: String, _ d: JSONValue) throws -> MonitorSpec.Kind {
        guard let path = d["data"]?.stringValue else { throw SimAPIError.invalidTrigger(name, "data.data is required") }
        guard let accepted = DataPaths.ops[path] else { throw SimAPIError.unknownDataPath(path) }
        guard let op = d["op"]?.stringValue else { throw SimAPIError.invalidTrigger(name, "data.op is required") }
        guard accepted.contains(op) else { throw SimAPIError.opNotAccepted(op, path, accepted) }
        var values: [String] = []
        if let list = d["value"], list != .null {
            guard let items = list.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
                throw SimAPIError.invalidTrigger(name, "data.value must be an array of strings")
            }
            values = items.compactMap(\.stringValue)
        }
        switch op {
        case "onChange": if !values.isEmpty { throw SimAPIError.valueCount(op, values.count) }
        case "includedIn": if values.isEmpty { throw SimAPIError.valueCount(op, 0) }
        default:
            if values.count != 1 { throw SimAPIError.valueCount(op, values.count) }
            if op != "equalsTo", Double(values[0]) == nil {
                throw SimAPIError.invalidTrigger(name, "'\(op)' needs a numeric value, got '\(values[0])'")
            }
        }
        return .data(path: path, op: op, values: values)
    }

    private static func time(_ name: String, _ t: JSONValue) throws -> MonitorSpec.Kind {
        let zoneName = t["timeZone"]?.stringValue ?? "Europe/Paris"
        guard zoneName.contains("/"), let tz = TimeZone(identifier: zoneName) else {
            throw SimAPIError.invalidTrigger(name, "time.timeZone must be an Area/City name such as Etc/UTC, got '\(zoneName)'")
        }
        guard let entries = t["times"]?.arrayValue, !entries.isEmpty else {
            throw SimAPIError.invalidTrigger(name, "time.times needs at least one entry")
        }
        var windows: [MonitorSpec.TimeWindow] = []
        for e in entries {
            let duration = try e["duration"]?.stringValue.map { d -> TimeInterval in
                guard let s = ISODuration.seconds(d), s > 0, s <= maxDuration else {
                    throw SimAPIError.invalidTrigger(name, "bad duration '\(d)' (at most 100 years)")
                }
                return s
            }
            guard let start = e["start"]?.stringValue else { throw SimAPIError.invalidTrigger(name, "time entry needs a start") }
            switch e["recurrence"]?.stringValue ?? "None" {
            case "Daily":
                guard let offset = ISODuration.seconds(start), offset < 86400 else {
                    throw SimAPIError.invalidTrigger(name, "a Daily start is a duration from midnight (PT14H30M), got '\(start)'")
                }
                guard let duration else { throw SimAPIError.invalidTrigger(name, "duration is mandatory for Daily") }
                guard duration <= maxDailyDuration else {
                    throw SimAPIError.invalidTrigger(name, "a Daily duration is at most 7 days, got '\(e["duration"]?.stringValue ?? "")'")
                }
                let days = try weekdays(name, e["occurence"]?["day"])
                let weeks = try weekNumbers(name, e["occurence"]?["week"])
                windows.append(.init(start: .daily(offset: offset, days: days, weeks: weeks), duration: duration))
            case "None":
                if e["occurence"] != nil { throw SimAPIError.invalidTrigger(name, "occurence is only for Daily entries") }
                guard let at = SimTimestamp.parse(start) else {
                    throw SimAPIError.invalidTrigger(name, "a None start is an RFC 3339 instant, got '\(start)'")
                }
                windows.append(.init(start: .absolute(at), duration: duration))
            case let other: throw SimAPIError.invalidTrigger(name, "recurrence must be None or Daily, got '\(other)'")
            }
        }
        return .time(windows: windows, timeZone: tz)
    }

    static let dayNames = ["Sun": 1, "Mon": 2, "Tue": 3, "Wed": 4, "Thu": 5, "Fri": 6, "Sat": 7]

    private static func weekdays(_ name: String, _ v: JSONValue?) throws -> Set<Int> {
        guard let list = v?.arrayValue else { return Set(1...7) }
        var out = Set<Int>()
        for d in list {
            guard let s = d.stringValue, let n = dayNames[s] else { throw SimAPIError.invalidTrigger(name, "bad day \(d)") }
            out.insert(n)
        }
        return out
    }

    private static func weekNumbers(_ name: String, _ v: JSONValue?) throws -> Set<Int>? {
        guard let list = v?.arrayValue else { return nil }
        var out = Set<Int>()
        for item in list {
            let parts = (item.stringValue ?? "").lowercased().split(separator: "-").map { $0.drop { $0 == "w" } }
            guard (1...2).contains(parts.count), let a = Int(parts[0]), let b = Int(parts.last!), 1 <= a, a <= b, b <= 53 else {
                throw SimAPIError.invalidTrigger(name, "bad week range \(item)")
            }
            out.formUnion(a...b)
        }
        return out
    }
}

/// ISO-8601 durations (`PT14H30M`, `P1DT2H`, `PT90S`).
enum ISODuration {
    static func seconds(_ text: String) -> TimeInterval? {
        var s = Substring(text.uppercased())
        guard s.first == "P" else { return nil }
        s = s.dropFirst()
        var total: TimeInterval = 0, number = "", inTime = false, any = false
        for c in s {
            if c == "T" { inTime = true; continue }
            if c.isNumber || c == "." { number.append(c); continue }
            guard let n = Double(number) else { return nil }
            number = ""
            any = true
            switch (c, inTime) {
            case ("D", false): total += n * 86400
            case ("W", false): total += n * 7 * 86400
            case ("H", true): total += n * 3600
            case ("M", true): total += n * 60
            case ("S", true): total += n
            default: return nil
            }
        }
        return any && number.isEmpty ? total : nil
    }
}
