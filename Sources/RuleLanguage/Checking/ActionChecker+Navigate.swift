extension ActionChecker {
    /// `navigate: {to: zone-or-{lat, lon}, approval: bool}`.
    mutating func navigate() -> Action? {
        guard case .mapping(let pairs, let range) = action.argument else {
            return bad("`navigate` takes `{to: zone or {lat, lon}, approval: true|false}`", action.argument.range)
        }
        var point: (Double, Double)?
        var approval = false
        var ok = true
        for (key, value) in pairs {
            switch key.value {
            case "to":
                if let p = destination(value) { point = p } else { ok = false }
            case "approval":
                guard case .scalar(let v, _) = value, case .bool(let b) = v.value else {
                    ok = false
                    ctx.report("wrong-type", "`approval` must be true or false", at: value.range)
                    continue
                }
                approval = b
            default:
                ok = false
                ctx.report("bad-action", "`navigate` takes `to` and `approval`; not `\(key.value)`", at: key.range,
                           notes: Suggestion.note(for: key.value, in: ["to", "approval"]))
            }
        }
        guard ok else { return nil }
        guard let (lat, lon) = point else {
            ctx.report("missing-key", "`navigate` needs a `to` key", at: range)
            return nil
        }
        return .remote(.navigate(latitude: lat, longitude: lon, driverApproval: approval))
    }

    mutating func destination(_ value: ActionArgument) -> (Double, Double)? {
        switch value {
        case .scalar(let v, _):
            guard case .string(let name) = v.value else {
                ctx.report("bad-action", "`to` is a zone name or `{lat, lon}`", at: v.range)
                return nil
            }
            guard let z = ctx.zones[name] else {
                if ctx.invalidNames.contains(name) { return nil }
                ctx.report("unknown-zone", "no zone named `\(name)` in this bundle", at: v.range,
                           notes: Suggestion.note(for: name, in: ctx.zoneOrder))
                return nil
            }
            ctx.usedZones.insert(name)
            return (z.latitude, z.longitude)
        case .mapping(let pairs, let range):
            var lat: Double?, lon: Double?
            for (key, v) in pairs {
                guard key.value == "lat" || key.value == "lon" else {
                    ctx.report("unknown-key", "unknown key `\(key.value)` in a position", at: key.range,
                               notes: Suggestion.note(for: key.value, in: ["lat", "lon"]))
                    return nil
                }
                guard case .scalar(let s, _) = v, let d = ValueReader.number(s.value) else {
                    ctx.report("wrong-type", "`\(key.value)` must be a number", at: v.range)
                    return nil
                }
                let limit = key.value == "lat" ? 90.0 : 180.0
                guard abs(d) <= limit else {
                    ctx.report("out-of-range", "`\(key.value)` must be within ±\(Int(limit))", at: v.range)
                    return nil
                }
                if key.value == "lat" { lat = d } else { lon = d }
            }
            guard let lat, let lon else {
                ctx.report("missing-key", "a position needs `lat` and `lon`", at: range)
                return nil
            }
            return (lat, lon)
        case .other(_, let range), .list(_, let range):
            ctx.report("bad-action", "`to` is a zone name or `{lat, lon}`", at: range)
            return nil
        }
    }
}
