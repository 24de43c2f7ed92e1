extension BundleChecker {
    static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    mutating func checkName(_ name: Located<String>, what: String) -> Bool {
        guard Self.isIdentifier(name.value) else {
            ctx.report("bad-name", "\(what) name `\(name.value)` must match [A-Za-z_][A-Za-z0-9_-]* to be used in conditions",
                       at: name.range)
            return false
        }
        return true
    }

    mutating func checkZone(_ z: ZoneDecl) {
        var ok = checkName(z.name, what: "zone")
        func coordinate(_ v: Located<ScalarValue>?, _ key: String, _ limit: Double) -> Double? {
            guard let v else { ok = false; return nil }
            guard let d = ValueReader.number(v.value) else {
                ctx.report("wrong-type", "`\(key)` must be a number, not \(v.value.kindName)", at: v.range)
                ok = false
                return nil
            }
            guard abs(d) <= limit else {
                ctx.report("out-of-range", "`\(key)` must be within ±\(Int(limit))°", at: v.range)
                ok = false
                return nil
            }
            return d
        }
        let lat = coordinate(z.latitude, "lat", 90), lon = coordinate(z.longitude, "lon", 180)
        var metres: Double?
        if let r = z.radius {
            switch ValueReader.metres(r.value) {
            case .success(let m) where m > 0: metres = m
            case .success: ctx.report("out-of-range", "a zone radius must be greater than zero", at: r.range)
            case .failure(.missingUnit):
                ctx.report("missing-unit", "a zone radius needs a unit: `km` or `m`", at: r.range, notes: ["e.g. `radius: 2 km`"])
            case .failure:
                ctx.report("wrong-type", "a zone radius is a distance such as `2 km` or `500 m`", at: r.range)
            }
        }
        guard ok, let lat, let lon, let metres else {
            ctx.invalidNames.insert(z.name.value)
            return
        }
        ctx.zones[z.name.value] = Zone(name: z.name.value, latitude: lat, longitude: lon, radiusMeters: metres)
        ctx.zoneOrder.append(z.name.value)
        ctx.zoneRanges[z.name.value] = z.name.range
    }

    mutating func checkSchedule(_ s: ScheduleDecl, inline: Bool) -> Schedule? {
        var ok = inline || checkName(s.name, what: "schedule")
        var days = Set(Weekday.allCases)
        if let list = s.days {
            days = []
            for d in list {
                if let i = Self.dayNames.firstIndex(where: { $0.lowercased() == d.value.lowercased() }) {
                    days.insert(Weekday(rawValue: i + 1)!)
                } else {
                    ok = false
                    ctx.report("bad-value", "`\(d.value)` is not a day; days are Mon, Tue, Wed, Thu, Fri, Sat, Sun", at: d.range,
                               notes: Suggestion.note(for: d.value, in: Self.dayNames))
                }
            }
        }
        let from = time(s.from, key: "from", allowMidnight: false)
        let to = time(s.to, key: "to", allowMidnight: true)
        guard ok, let from, let to else {
            ctx.invalidNames.insert(s.name.value)
            return nil
        }
        return Schedule(name: s.name.value, days: days, fromMinute: from, toMinute: to)
    }

    mutating func time(_ v: Located<ScalarValue>?, key: String, allowMidnight: Bool) -> Int? {
        guard let v else { return nil }
        if let m = ValueReader.minutes(v.value, allowMidnightEnd: allowMidnight) { return m }
        let hint = allowMidnight ? "00:00 to 24:00" : "00:00 to 23:59"
        ctx.report("bad-time", "`\(key)` must be a time `HH:MM` from \(hint), got \(v.value.received)", at: v.range,
                   notes: v.value.kindName == "text" ? [] : ["quote it: `\(key): \"22:00\"`"])
        return nil
    }
}
