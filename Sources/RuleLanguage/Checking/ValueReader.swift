/// Reads the scalar values of the rule format: durations (`30s`, `5m`, `1h30m`),
/// wall-clock times (`"22:00"`), distances with a unit (`2 km`, `500 m`).
enum ValueReader {
    enum Failure: Error, Equatable {
        case missingUnit
        case malformed
    }

    /// Seconds in a duration: one or more `number unit` parts, unit s, m (minutes), h, d.
    static func seconds(_ value: ScalarValue) -> Result<Double, Failure> {
        switch value {
        case .int, .float: return .failure(.missingUnit)
        case .string(let s): return seconds(s)
        default: return .failure(.malformed)
        }
    }

    static func seconds(_ s: String) -> Result<Double, Failure> {
        let scale: [String: Double] = ["s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400]
        var total = 0.0, parts = 0
        var rest = Substring(s.trimmingSpaces)
        guard !rest.isEmpty else { return .failure(.malformed) }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard !digits.isEmpty, let n = Double(digits) else { return .failure(.malformed) }
            rest = rest.dropFirst(digits.count).drop { $0 == " " }
            let unit = rest.prefix { $0.isLetter }
            guard !unit.isEmpty else { return .failure(parts == 0 && rest.isEmpty ? .missingUnit : .malformed) }
            guard let k = scale[String(unit)] else { return .failure(.malformed) }
            total += n * k
            parts += 1
            rest = rest.dropFirst(unit.count).drop { $0 == " " }
        }
        return .success(total)
    }

    /// Minutes since midnight of `HH:MM`; `24:00` (1440) only when `allowMidnightEnd`.
    static func minutes(_ value: ScalarValue, allowMidnightEnd: Bool) -> Int? {
        guard case .string(let s) = value else { return nil }
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let h = Int(parts[0]), let m = Int(parts[1]), m < 60 else { return nil }
        if h == 24 && m == 0 && allowMidnightEnd { return 1440 }
        guard h < 24 else { return nil }
        return h * 60 + m
    }

    /// Metres of a distance with a unit (`2 km`, `500 m`, `1.5km`).
    static func metres(_ value: ScalarValue) -> Result<Double, Failure> {
        switch value {
        case .int, .float: return .failure(.missingUnit)
        case .string(let s):
            let t = s.trimmingSpaces
            let number = t.prefix { $0.isNumber || $0 == "." }
            let unit = t.dropFirst(number.count).trimmingSpaces
            guard let n = Double(number) else { return .failure(.malformed) }
            switch unit {
            case "km": return .success(n * 1000)
            case "m": return .success(n)
            case "": return .failure(.missingUnit)
            default: return .failure(.malformed)
            }
        default: return .failure(.malformed)
        }
    }

    static func number(_ value: ScalarValue) -> Double? {
        switch value {
        case .int(let i): return Double(i)
        case .float(let d): return d.isFinite ? d : nil
        default: return nil
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
